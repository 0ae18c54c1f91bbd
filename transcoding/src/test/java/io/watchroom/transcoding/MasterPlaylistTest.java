package io.watchroom.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lindstrom.m3u8.model.AlternativeRendition;
import io.lindstrom.m3u8.model.MasterPlaylist;
import io.lindstrom.m3u8.model.MediaType;
import io.lindstrom.m3u8.model.Variant;
import io.lindstrom.m3u8.parser.MasterPlaylistParser;
import io.watchroom.core.video.Rendition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterPlaylistTest {

  @TempDir Path dir;

  private static final Rendition HD = new Rendition("720p", 1280, 720, 30, 2_400_000, 1_800_000, "avc1.64001f", 5);
  private static final Rendition SD = new Rendition("360p", 640, 360, 29.97, 700_000, 500_000, "avc1.64001e", 5);
  private static final Rendition AUDIO = new Rendition("audio", 0, 0, 0, 140_000, 130_000, "mp4a.40.2", 6);

  @Test
  void writtenMasterParsesBackWithEveryAttribute() throws Exception {
    String text = io.watchroom.transcoding.MasterPlaylist.write(List.of(HD, SD, AUDIO));
    MasterPlaylist master = new MasterPlaylistParser().readPlaylist(text);

    assertTrue(master.independentSegments());
    List<Variant> variants = master.variants();
    assertEquals(2, variants.size());
    Variant hd = variants.get(0);
    assertEquals("720p/index.m3u8", hd.uri());
    // the audio rendition's bandwidth is part of each variant's
    assertEquals(2_540_000, hd.bandwidth());
    assertEquals(1_930_000L, hd.averageBandwidth().orElseThrow());
    assertEquals(1280, hd.resolution().orElseThrow().width());
    assertEquals(720, hd.resolution().orElseThrow().height());
    assertEquals(30.0, hd.frameRate().orElseThrow(), 1e-9);
    assertEquals(List.of("avc1.64001f", "mp4a.40.2"), hd.codecs());
    assertEquals("audio", hd.audio().orElseThrow());
    Variant sd = variants.get(1);
    assertEquals(29.97, sd.frameRate().orElseThrow(), 1e-9);
    assertEquals(840_000, sd.bandwidth());

    List<AlternativeRendition> media = master.alternativeRenditions();
    assertEquals(1, media.size());
    assertEquals(MediaType.AUDIO, media.get(0).type());
    assertEquals("audio", media.get(0).groupId());
    assertEquals("audio/index.m3u8", media.get(0).uri().orElseThrow());
  }

  @Test
  void withoutAudioThereIsNoAudioGroup() throws Exception {
    MasterPlaylist master = new MasterPlaylistParser().readPlaylist(io.watchroom.transcoding.MasterPlaylist.write(List.of(SD)));
    assertEquals(List.of(), master.alternativeRenditions());
    assertEquals(700_000, master.variants().get(0).bandwidth());
    assertEquals(List.of("avc1.64001e"), master.variants().get(0).codecs());
    assertTrue(master.variants().get(0).audio().isEmpty());
  }

  @Test
  void bandwidthIsMeasuredFromTheSegments() throws Exception {
    Path folder = dir.resolve("360p");
    Files.createDirectories(folder);
    Files.writeString(
        folder.resolve("index.m3u8"),
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI=\"init_0.mp4\"\n"
            + "#EXTINF:2.000000,\nseg_00000.m4s\n#EXTINF:2.000000,\nseg_00001.m4s\n#EXTINF:1.000000,\nseg_00002.m4s\n#EXT-X-ENDLIST\n");
    // an init segment with an avcC box: version 1, High profile (0x64), no constraints, level 3.0 (0x1e)
    byte[] init = new byte[100];
    byte[] avcc = {'a', 'v', 'c', 'C', 1, 0x64, 0x00, 0x1e};
    System.arraycopy(avcc, 0, init, 40, avcc.length);
    Files.write(folder.resolve("init_0.mp4"), init);
    Files.write(folder.resolve("seg_00000.m4s"), new byte[100_000]);
    Files.write(folder.resolve("seg_00001.m4s"), new byte[300_000]);
    Files.write(folder.resolve("seg_00002.m4s"), new byte[50_000]);

    Rendition measured = io.watchroom.transcoding.MasterPlaylist.measure(folder, "360p", 640, 360, 30);
    assertEquals("avc1.64001e", measured.codecs());
    assertEquals(3, measured.segments());
    // peak: 300 000 bytes over 2 s
    assertEquals(1_200_000, measured.bandwidth());
    // average: (100 + 100 000 + 300 000 + 50 000) bytes over 5 s
    assertEquals(Math.round(450_100 * 8 / 5.0), measured.averageBandwidth());
  }
}
