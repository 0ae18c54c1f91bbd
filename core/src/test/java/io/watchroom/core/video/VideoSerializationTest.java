package io.watchroom.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.watchroom.core.JsonSerializable;
import io.watchroom.core.Rejection;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonJsonSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every Video message, event, state and reply round-trips through the configured Jackson binding. */
class VideoSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = testKit.serializationTestKit();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final long AT = 1_763_712_000_000L;
  private static final VideoInfo INFO = new VideoInfo("vidAbc123456", "o-ann", "Sunset", "sunset.mp4", 1000, AT);
  private static final Chunk CHUNK = new Chunk(0, 1000, "uploads/vidAbc123456/0-x");
  private static final Probe PROBE = new Probe(10.5, 1920, 1080, 29.97, true, "mov,mp4,m4a,3gp,3g2,mj2");
  private static final Rendition VIDEO = new Rendition("1080p", 1920, 1080, 29.97, 5_000_000, 4_000_000, "avc1.640028", 6);
  private static final Rendition AUDIO = new Rendition("audio", 0, 0, 0, 130_000, 128_000, "mp4a.40.2", 6);
  private static final PublishedMedia MEDIA =
      new PublishedMedia("master.m3u8", "poster.jpg", "thumbnails.vtt", 1, 10, List.of(VIDEO, AUDIO));

  @Test
  void commandsRoundTrip() {
    TestProbe<StatusReply<Done>> done = testKit.createTestProbe();
    TestProbe<StatusReply<Long>> offset = testKit.createTestProbe();
    TestProbe<StatusReply<Video.Status>> status = testKit.createTestProbe();
    List<Video.Command> commands =
        List.of(
            new Video.Register("o-ann", "Sunset", "sunset.mp4", 1000, done.ref()),
            new Video.Register("o-ann", null, "", 1000, done.ref()),
            new Video.StoreChunk(0, 1000, CHUNK.key(), offset.ref()),
            new Video.Get(status.ref()),
            new Video.RecordProbe(PROBE, done.ref()),
            new Video.StartTranscode(1, "pekko://watchroom@127.0.0.1:25520", done.ref()),
            new Video.ReportProgress(42.5),
            new Video.RecordView(),
            new Video.RecordRendition(VIDEO, done.ref()),
            new Video.RecordAttemptFailure(1, "ffmpeg exited with 1:\nboom", done.ref()),
            new Video.Publish(MEDIA, done.ref()),
            new Video.Fail("The file has no video stream.", done.ref()),
            new Video.Delete("o-ann", done.ref()));
    commands.forEach(this::verify);
  }

  @Test
  void eventsRoundTrip() {
    List<Video.Event> events =
        List.of(
            new Video.Registered(INFO),
            new Video.ChunkStored(CHUNK, AT),
            new Video.Uploaded(1000, AT),
            new Video.Probed(PROBE, AT),
            new Video.TranscodeStarted(1, "node", AT),
            new Video.Progress(45, AT),
            new Video.RenditionReady(VIDEO, AT),
            new Video.AttemptFailed(1, "boom", AT),
            new Video.Published(MEDIA, AT),
            new Video.Failed("The file is damaged.", AT),
            new Video.Deleted("o-ann", AT),
            new Video.Viewed(AT));
    events.forEach(this::verify);
  }

  @Test
  void statesAndRepliesRoundTrip() {
    List<Video.State> states =
        List.of(
            new Video.Unregistered(),
            new Video.Uploading(INFO, List.of(CHUNK)),
            new Video.Processing(INFO, List.of(CHUNK), null, 0, 0, List.of(), null),
            new Video.Processing(INFO, List.of(CHUNK), PROBE, 2, 35, List.of(VIDEO), "boom"),
            new Video.Ready(INFO, PROBE, MEDIA, AT),
            new Video.Broken(INFO, "bad", List.of(CHUNK), AT),
            new Video.Removed(INFO, AT));
    states.forEach(this::verify);
    states.forEach(s -> verify(new Video.Status(s, 12.5)));
    serialization.verifySerialization(StatusReply.success(new Video.Status(states.get(4), 100)), true);
    serialization.verifySerialization(StatusReply.success(1000L), true);
    StatusReply<?> rejected =
        serialization.verifySerialization(
            StatusReply.error(new Rejection(Rejection.OFFSET_MISMATCH, "The upload stands at byte 10.")), false);
    Rejection rejection = assertInstanceOf(Rejection.class, rejected.getError());
    assertEquals(Rejection.OFFSET_MISMATCH, rejection.code());
    assertEquals("The upload stands at byte 10.", rejection.getMessage());
  }

  private void verify(JsonSerializable message) {
    assertInstanceOf(
        JacksonJsonSerializer.class,
        SerializationExtension.get(testKit.system().classicSystem()).findSerializerFor(message));
    serialization.verifySerialization(message, true);
  }
}
