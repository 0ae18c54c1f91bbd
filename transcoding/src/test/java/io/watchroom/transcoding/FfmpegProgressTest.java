package io.watchroom.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading ffmpeg's -progress output, recorded from ffmpeg 5.1 (src/test/resources/recorded). */
class FfmpegProgressTest {

  @Test
  void theMediaTimeOfEachBlock() throws IOException {
    String text;
    try (InputStream in = FfmpegProgressTest.class.getResourceAsStream("/recorded/ffmpeg-progress.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Double> seconds =
        text.lines().map(FfmpegProgress::seconds).filter(Optional::isPresent).map(Optional::get).toList();
    // one value per block (out_time_ms and out_time are the same time again, not read twice)
    assertEquals(text.lines().filter(l -> l.startsWith("progress=")).count(), seconds.size());
    assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.08, 0.6, 2.92), seconds);
  }

  @Test
  void linesWithoutATimeAreSkipped() {
    // before the first frame ffmpeg writes N/A; other keys carry no media time
    assertEquals(Optional.empty(), FfmpegProgress.seconds("out_time_us=N/A"));
    assertEquals(Optional.empty(), FfmpegProgress.seconds("out_time_us=-9223372036854775807"));
    assertEquals(Optional.empty(), FfmpegProgress.seconds("out_time=00:00:03.920000"));
    assertEquals(Optional.empty(), FfmpegProgress.seconds("frame=100"));
    assertEquals(Optional.empty(), FfmpegProgress.seconds(""));
    assertEquals(Optional.of(3.92), FfmpegProgress.seconds("out_time_us=3920000 "));
  }
}
