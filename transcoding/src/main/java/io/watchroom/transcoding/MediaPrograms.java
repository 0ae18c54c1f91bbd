package io.watchroom.transcoding;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ffmpeg and ffprobe executables this node runs, found in configuration or on PATH, and the
 * niceness their transcodes run at so that serving and sync keep their CPU.
 *
 * @param nice 0 to run at normal priority; otherwise the {@code nice} adjustment (1-19)
 */
public record MediaPrograms(Path ffmpeg, Path ffprobe, int nice, Optional<Path> niceProgram) {

  /**
   * Resolves both programs. A configured value may be a path or a bare name looked up on PATH;
   * blank means "ffmpeg"/"ffprobe" on PATH.
   *
   * @throws IllegalStateException naming the program that cannot be found
   */
  public static MediaPrograms locate(String ffmpeg, String ffprobe, int nice) {
    return locate(ffmpeg, ffprobe, nice, System.getenv("PATH"));
  }

  static MediaPrograms locate(String ffmpeg, String ffprobe, int nice, String searchPath) {
    Path ffmpegPath = find("ffmpeg", ffmpeg, searchPath);
    Path ffprobePath = find("ffprobe", ffprobe, searchPath);
    Optional<Path> nicePath = nice > 0 ? findOnPath("nice", searchPath) : Optional.empty();
    return new MediaPrograms(ffmpegPath, ffprobePath, nice, nicePath);
  }

  private static Path find(String program, String configured, String searchPath) {
    String name = configured == null || configured.isBlank() ? program : configured.strip();
    if (name.contains("/") || name.contains(File.separator)) {
      Path path = Path.of(name);
      if (Files.isExecutable(path)) {
        return path;
      }
      throw new IllegalStateException(
          program + " was not found at " + path + " (watchroom.media." + program + "): install ffmpeg or fix the setting.");
    }
    return findOnPath(name, searchPath)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    program + " (\"" + name + "\") was not found on PATH: install ffmpeg (which brings "
                        + "ffprobe) or set watchroom.media." + program + " to its full path."));
  }

  private static Optional<Path> findOnPath(String name, String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The command line for ffmpeg with {@code arguments}, lowered in priority when configured. */
  public List<String> ffmpegCommand(List<String> arguments) {
    List<String> command = new ArrayList<>();
    niceProgram.ifPresent(n -> {
      command.add(n.toString());
      command.add("-n");
      command.add(Integer.toString(nice));
    });
    command.add(ffmpeg.toString());
    command.addAll(arguments);
    return command;
  }

  public List<String> ffprobeCommand(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(ffprobe.toString());
    command.addAll(arguments);
    return command;
  }
}
