package io.watchroom.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.watchroom.core.Rejection;
import java.time.InstantSource;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VideoTest {

  private static final long T0 = 1_763_712_000_000L;
  private static final VideoSettings SETTINGS = new VideoSettings(1000, 5, 100, 2);
  private static final Probe PROBE = new Probe(10, 640, 360, 30, true, "mp4");
  private static final Rendition R360 = new Rendition("360p", 640, 360, 30, 900_000, 700_000, "avc1.64001e", 5);
  private static final PublishedMedia MEDIA =
      new PublishedMedia("master.m3u8", "poster.jpg", "thumbnails.vtt", 1, 10, List.of(R360));

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private EventSourcedBehaviorTestKit<Video.Command, Video.Event, Video.State> video;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    video =
        EventSourcedBehaviorTestKit.create(
            testKit.system(), Video.create("vidAbc123456", SETTINGS, InstantSource.fixed(Instant.ofEpochMilli(T0))));
  }

  private StatusReply<Done> run(java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<StatusReply<Done>>, Video.Command> command) {
    return video.<StatusReply<Done>>runCommand(command::apply).reply();
  }

  private StatusReply<Long> chunk(long offset, long length, String key) {
    return video.<StatusReply<Long>>runCommand(r -> new Video.StoreChunk(offset, length, key, r)).reply();
  }

  private void uploaded() {
    assertTrue(run(r -> new Video.Register("o-ann", " Sunset ", "sunset.mp4", 100, r)).isSuccess());
    assertEquals(60L, chunk(0, 60, "uploads/a").getValue());
    assertEquals(100L, chunk(60, 40, "uploads/b").getValue());
  }

  private static String code(StatusReply<?> reply) {
    return assertInstanceOf(Rejection.class, reply.getError()).code();
  }

  @Test
  void anUploadArrivesInChunksAtItsOffset() {
    CommandResultWithReply<Video.Command, Video.Event, Video.State, StatusReply<Done>> registered =
        video.runCommand(r -> new Video.Register("o-ann", null, "my holiday.mp4", 100, r));
    assertEquals(new Video.Registered(new VideoInfo("vidAbc123456", "o-ann", "my holiday", "my holiday.mp4", 100, T0)), registered.event());

    assertEquals(60L, chunk(0, 60, "uploads/a").getValue());
    // a repeated or out-of-order chunk is refused: the offset is the entity's
    assertEquals(Rejection.OFFSET_MISMATCH, code(chunk(0, 60, "uploads/a2")));
    assertEquals(Rejection.TOO_LARGE, code(chunk(60, 41, "uploads/x")));
    CommandResultWithReply<Video.Command, Video.Event, Video.State, StatusReply<Long>> last =
        video.runCommand(r -> new Video.StoreChunk(60, 40, "uploads/b", r));
    assertEquals(List.of(new Video.ChunkStored(new Chunk(60, 40, "uploads/b"), T0), new Video.Uploaded(100, T0)), last.events());
    Video.Processing processing = last.stateOfType(Video.Processing.class);
    assertEquals(2, processing.chunks().size());
    assertEquals("processing", Video.stageOf(processing));
  }

  @Test
  void registrationIsValidated() {
    assertEquals(Rejection.TOO_LARGE, code(run(r -> new Video.Register("o-ann", "t", "f.mp4", 1001, r))));
    assertEquals(Rejection.INVALID, code(run(r -> new Video.Register("o-ann", "t", "f.mp4", 0, r))));
    assertEquals(Rejection.INVALID, code(run(r -> new Video.Register("", "t", "f.mp4", 10, r))));
    assertEquals(Rejection.INVALID, code(run(r -> new Video.Register("o-ann", "bad\u0007title", "f.mp4", 10, r))));
    assertEquals(Rejection.INVALID, code(run(r -> new Video.Register("o-ann", "x".repeat(201), "f.mp4", 10, r))));
    assertEquals(Rejection.NOT_FOUND, code(video.<StatusReply<Video.Status>>runCommand(Video.Get::new).reply()));
  }

  @Test
  void tooManyChunksAreRefused() {
    assertTrue(run(r -> new Video.Register("o-ann", "t", "f.mp4", 100, r)).isSuccess());
    for (int i = 0; i < 4; i++) {
      assertTrue(chunk(i, 1, "k" + i).isSuccess());
    }
    assertEquals(Rejection.INVALID, code(chunk(4, 1, "k4")));
    // the last chunk is always accepted
    assertEquals(100L, chunk(4, 96, "k4").getValue());
  }

  @Test
  void aTranscodeRunsToPublicationAndNeverAgain() {
    uploaded();
    assertTrue(run(r -> new Video.RecordProbe(PROBE, r)).isSuccess());
    assertTrue(run(r -> new Video.StartTranscode(1, "node-a", r)).isSuccess());
    // progress is kept live and persisted in 5 % steps only
    assertEquals(List.of(), video.runCommand(new Video.ReportProgress(3.5)).events());
    assertEquals(List.of(new Video.Progress(10, T0)), video.runCommand(new Video.ReportProgress(12.5)).events());
    assertEquals(List.of(), video.runCommand(new Video.ReportProgress(14)).events());
    Video.Status status = video.<StatusReply<Video.Status>>runCommand(Video.Get::new).reply().getValue();
    assertEquals(14, status.progress());
    assertEquals("transcoding", Video.stageOf(status.state()));

    assertTrue(run(r -> new Video.RecordRendition(R360, r)).isSuccess());
    assertTrue(run(r -> new Video.RecordRendition(R360, r)).isSuccess());
    assertEquals(1, video.getState() instanceof Video.Processing p ? p.renditions().size() : -1);
    assertTrue(run(r -> new Video.Publish(MEDIA, r)).isSuccess());
    Video.Ready ready = assertInstanceOf(Video.Ready.class, video.getState());
    assertEquals(MEDIA, ready.media());

    // a published video counts views; nothing else does
    assertEquals(List.of(new Video.Viewed(T0)), video.runCommand(new Video.RecordView()).events());
    assertEquals(ready, video.getState());

    // a replayed job finds it published and cannot start again
    assertEquals(Rejection.WRONG_STATE, code(run(r -> new Video.StartTranscode(2, "node-b", r))));
    assertEquals(Rejection.WRONG_STATE, code(run(r -> new Video.Publish(MEDIA, r))));

    // recovery reproduces the state
    video.restart();
    assertEquals(ready, video.getState());
  }

  @Test
  void onlyAPublishedVideoCountsViews() {
    assertEquals(List.of(), video.runCommand(new Video.RecordView()).events());
    uploaded();
    assertEquals(List.of(), video.runCommand(new Video.RecordView()).events());
    assertTrue(run(r -> new Video.RecordProbe(PROBE, r)).isSuccess());
    assertEquals(List.of(), video.runCommand(new Video.RecordView()).events());
  }

  @Test
  void failedAttemptsAreRecordedThenTheVideoFails() {
    uploaded();
    assertTrue(run(r -> new Video.RecordProbe(PROBE, r)).isSuccess());
    assertTrue(run(r -> new Video.StartTranscode(1, "node-a", r)).isSuccess());
    assertTrue(run(r -> new Video.RecordAttemptFailure(1, "ffmpeg exited with 1", r)).isSuccess());
    Video.Processing processing = assertInstanceOf(Video.Processing.class, video.getState());
    assertEquals(1, processing.attempts());
    assertEquals("ffmpeg exited with 1", processing.lastError());
    assertTrue(run(r -> new Video.Fail("Transcoding failed after 3 attempts", r)).isSuccess());
    Video.Broken broken = assertInstanceOf(Video.Broken.class, video.getState());
    assertEquals("Transcoding failed after 3 attempts", broken.reason());
    assertEquals(Rejection.WRONG_STATE, code(run(r -> new Video.StartTranscode(2, "node-a", r))));
  }

  @Test
  void onlyTheOwnerDeletes() {
    uploaded();
    assertEquals(Rejection.FORBIDDEN, code(run(r -> new Video.Delete("o-bob", r))));
    assertTrue(run(r -> new Video.Delete("o-ann", r)).isSuccess());
    assertInstanceOf(Video.Removed.class, video.getState());
    assertEquals(Rejection.NOT_FOUND, code(video.<StatusReply<Video.Status>>runCommand(Video.Get::new).reply()));
    assertEquals(Rejection.NOT_FOUND, code(run(r -> new Video.Delete("o-ann", r))));
  }

  @Test
  void idsAndTags() {
    String id = Video.newId();
    assertTrue(Video.isWellFormedId(id));
    assertTrue(Video.tags().contains(Video.tagFor(id)));
    assertEquals(Video.TAG_COUNT, Video.tags().size());
  }
}
