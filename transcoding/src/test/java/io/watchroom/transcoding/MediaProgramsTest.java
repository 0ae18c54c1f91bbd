package io.watchroom.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaProgramsTest {

  @TempDir Path bin;

  private Path program(String name) throws Exception {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void aMissingProgramIsNamed() throws Exception {
    program("ffmpeg");
    IllegalStateException missing =
        assertThrows(IllegalStateException.class, () -> MediaPrograms.locate("", "", 0, bin.toString()));
    assertTrue(missing.getMessage().startsWith("ffprobe (\"ffprobe\") was not found on PATH"), missing.getMessage());

    IllegalStateException badPath =
        assertThrows(IllegalStateException.class, () -> MediaPrograms.locate("/nowhere/ffmpeg", "", 0, bin.toString()));
    assertTrue(badPath.getMessage().startsWith("ffmpeg was not found at /nowhere/ffmpeg"), badPath.getMessage());
  }

  @Test
  void programsComeFromPathOrConfigurationAndRunNiced() throws Exception {
    Path ffmpeg = program("ffmpeg");
    Path ffprobe = program("ffprobe");
    Path nice = program("nice");
    MediaPrograms found = MediaPrograms.locate("", "", 10, bin.toString());
    assertEquals(ffmpeg, found.ffmpeg());
    assertEquals(ffprobe, found.ffprobe());
    assertEquals(List.of(nice.toString(), "-n", "10", ffmpeg.toString(), "-i", "x"), found.ffmpegCommand(List.of("-i", "x")));
    MediaPrograms configured = MediaPrograms.locate(ffmpeg.toString(), ffprobe.toString(), 0, "");
    assertEquals(List.of(ffmpeg.toString(), "-i", "x"), configured.ffmpegCommand(List.of("-i", "x")));
  }

  @Test
  void ffmpegRunsUnderNiceOnlyWhenANicenessIsConfigured() throws Exception {
    // a stand-in ffmpeg that prints the niceness it runs at
    Path ffmpeg = bin.resolve("ffmpeg");
    Files.writeString(ffmpeg, "#!/bin/sh\nps -o ni= -p $$\n");
    Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path ffprobe = program("ffprobe");
    int base = niceness(List.of("ps", "-o", "ni=", "-p", Long.toString(ProcessHandle.current().pid())));
    String path = System.getenv("PATH");

    MediaPrograms niced = MediaPrograms.locate(ffmpeg.toString(), ffprobe.toString(), 7, path);
    MediaPrograms normal = MediaPrograms.locate(ffmpeg.toString(), ffprobe.toString(), 0, path);
    // what runs: under nice with the configured adjustment, or ffmpeg itself
    List<String> nicedCommand = niced.ffmpegCommand(List.of());
    assertTrue(nicedCommand.get(0).endsWith("/nice"), nicedCommand.toString());
    assertEquals(List.of("-n", "7", ffmpeg.toString()), nicedCommand.subList(1, 4));
    assertEquals(List.of(ffmpeg.toString()), normal.ffmpegCommand(List.of()));
    // and what it does: the process's own niceness (nice caps it at 19, so a JVM already at 12
    // or more sees a smaller step)
    assertEquals(Math.min(19, base + 7), niceness(nicedCommand));
    assertEquals(base, niceness(normal.ffmpegCommand(List.of())));
  }

  private static int niceness(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes()).strip();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, command + ": " + out);
    return Integer.parseInt(out);
  }
}
