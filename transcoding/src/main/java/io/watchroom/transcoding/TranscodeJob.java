package io.watchroom.transcoding;

import io.watchroom.core.Rejection;
import io.watchroom.core.video.Chunk;
import io.watchroom.core.video.Probe;
import io.watchroom.core.video.PublishedMedia;
import io.watchroom.core.video.Rendition;
import io.watchroom.core.video.Video;
import io.watchroom.transcoding.store.ContentTypes;
import io.watchroom.transcoding.store.MediaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import kamon.Kamon;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one uploaded video into its published HLS ladder: assembles the upload from its stored
 * chunks, probes it, runs the single ffmpeg process that writes every rung (shipping finished
 * segments to the media store while it runs), measures the renditions, makes the poster and the
 * trick-play sprites, writes the master playlist and publishes.
 *
 * <p>At least once: the job may run again for the same video (after a node died, or a projection
 * replay). It asks the video first and does nothing unless the video is still processing, and it
 * writes the same outputs under the same keys, starting from an empty output folder, so a rerun
 * leaves exactly what one run leaves. A failure retries with backoff; a rejected input (not a
 * video, damaged, over a limit) fails at once. A failed video leaves nothing behind in the store.
 */
public final class TranscodeJob {

  private static final Logger log = LoggerFactory.getLogger(TranscodeJob.class);
  // Wall time of a job, from its slot to Published or Failed ("done") or to an error after
  // which the projection runs the job again ("error").
  private static final Histogram jobsDone =
      Kamon.histogram("watchroom.transcode.job", MeasurementUnit.time().milliseconds()).withTag("outcome", "done");
  private static final Histogram jobsInError =
      Kamon.histogram("watchroom.transcode.job", MeasurementUnit.time().milliseconds()).withTag("outcome", "error");

  /** Progress shares of the stages, in percent of the whole job. */
  static final double LADDER_SHARE = 85;
  static final double THUMBNAILS_SHARE = 10;

  /** Lines of ffmpeg's error output that mean the input itself is damaged: retrying cannot help. */
  private static final List<String> DAMAGED_INPUT =
      List.of("corrupt input packet", "partial file", "Invalid data found", "moov atom not found",
          "Invalid NAL unit", "error while decoding");

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final MediaStore store;
  private final MediaPrograms programs;
  private final LadderSettings ladder;
  private final TranscodeSettings settings;
  private final Prober prober;
  private final String node;

  public TranscodeJob(
      ActorSystem<?> system,
      MediaStore store,
      MediaPrograms programs,
      LadderSettings ladder,
      TranscodeSettings settings) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.store = store;
    this.programs = programs;
    this.ladder = ladder;
    this.settings = settings;
    this.prober = new Prober(programs, ladder, system);
    this.node = system.address().toString();
  }

  public static String uploadPrefix(String videoId) {
    return "uploads/" + videoId + "/";
  }

  public static String videoPrefix(String videoId) {
    return "videos/" + videoId + "/";
  }

  /** Runs the job for {@code videoId} unless it has nothing to do; completes when it is done. */
  public CompletionStage<Done> run(String videoId) {
    return status(videoId)
        .thenCompose(
            status -> {
              if (!(status.state() instanceof Video.Processing processing)) {
                // published, failed, deleted: a replayed event must not transcode again
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              log.info("Transcoding video {} on {}", videoId, node);
              long started = System.nanoTime();
              Path work = settings.workDir().resolve(videoId);
              return prepare(work)
                  .thenCompose(source -> assemble(processing.chunks(), source))
                  .thenCompose(source -> probeAndRecord(videoId, source))
                  .thenCompose(probe -> attempts(videoId, work, probe, processing.attempts() + 1))
                  .handle(
                      (done, failure) -> {
                        if (failure == null) {
                          return CompletableFuture.completedFuture(Done.getInstance());
                        }
                        Throwable cause = unwrap(failure);
                        if (cause instanceof MediaRejected rejected) {
                          return fail(videoId, rejected.getMessage());
                        }
                        return CompletableFuture.<Done>failedFuture(cause);
                      })
                  .thenCompose(x -> x)
                  .whenComplete(
                      (done, failure) -> {
                        deleteQuietly(work);
                        (failure == null ? jobsDone : jobsInError)
                            .record(Duration.ofNanos(System.nanoTime() - started).toMillis());
                      });
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Stages

  private CompletionStage<Path> prepare(Path work) {
    return CompletableFuture.supplyAsync(
        () -> {
          deleteQuietly(work);
          try {
            Files.createDirectories(work.resolve("out"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return work.resolve("source");
        },
        blocking());
  }

  /** The upload's chunks, in order, into one local file. */
  private CompletionStage<Path> assemble(List<Chunk> chunks, Path source) {
    return Source.from(chunks)
        .mapAsync(1, chunk -> store.read(chunk.key(), Optional.empty()))
        .flatMapConcat(
            found ->
                found
                    .map(MediaStore.StoredObject::data)
                    .orElseThrow(() -> new MediaRejected("Part of the upload is missing; upload the file again.")))
        .runWith(FileIO.toPath(source), system)
        .thenApply(result -> source);
  }

  private CompletionStage<Probe> probeAndRecord(String videoId, Path source) {
    return prober
        .probe(source)
        .thenCompose(
            probe -> {
              try {
                LadderPlan.from(probe, ladder); // refuses what cannot be laddered before recording
              } catch (MediaRejected e) {
                return CompletableFuture.<Probe>failedFuture(e);
              }
              return this.<Done>ask(videoId, replyTo -> new Video.RecordProbe(probe, replyTo)).thenApply(d -> probe);
            });
  }

  private CompletionStage<Done> attempts(String videoId, Path work, Probe probe, int attempt) {
    return this.<Done>ask(videoId, replyTo -> new Video.StartTranscode(attempt, node, replyTo))
        .thenCompose(started -> transcode(videoId, work, probe))
        .handle(
            (done, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(done);
              }
              Throwable cause = unwrap(failure);
              if (cause instanceof MediaRejected || cause instanceof Rejection) {
                // the input is at fault, or the video moved on (deleted, finished elsewhere)
                return cause instanceof Rejection
                    ? cleanOutputs(videoId)
                    : CompletableFuture.<Done>failedFuture(cause);
              }
              String reason = describe(cause);
              log.warn("Transcode attempt {} of video {} failed: {}", attempt, videoId, reason);
              return this.<Done>ask(videoId, replyTo -> new Video.RecordAttemptFailure(attempt, reason, replyTo))
                  .thenCompose(
                      recorded -> {
                        if (attempt >= settings.maxAttempts()) {
                          return fail(videoId, "Transcoding failed after " + attempt + " attempts: " + reason);
                        }
                        return Patterns.after(
                                settings.backoff(attempt),
                                system.classicSystem().scheduler(),
                                system.executionContext(),
                                () -> CompletableFuture.completedFuture(Done.getInstance()))
                            .thenCompose(waited -> attempts(videoId, work, probe, attempt + 1));
                      });
            })
        .thenCompose(x -> x);
  }

  private CompletionStage<Done> transcode(String videoId, Path work, Probe probe) {
    LadderPlan plan;
    try {
      plan = LadderPlan.from(probe, ladder);
    } catch (MediaRejected e) {
      return CompletableFuture.failedFuture(e);
    }
    ThumbnailPlan thumbs = ThumbnailPlan.from(probe, ladder);
    Path source = work.resolve("source");
    Path out = work.resolve("out");
    String prefix = videoPrefix(videoId);
    SegmentShipper shipper = new SegmentShipper(out, prefix, plan.renditionNames());
    return cleanDirectory(out)
        .thenCompose(clean -> store.deletePrefix(prefix))
        .thenCompose(clean -> runLadder(videoId, plan, source, out, probe.duration(), shipper))
        .thenCompose(ladderDone -> shipper.ship(true))
        .thenCompose(shipped -> measure(plan, out))
        .thenCompose(renditions -> recordRenditions(videoId, renditions).thenApply(d -> renditions))
        .thenCompose(
            renditions ->
                runThumbnails(videoId, thumbs, source, out)
                    .thenCompose(d -> publishFiles(prefix, out, thumbs, probe.duration(), renditions))
                    .thenCompose(
                        media -> this.<Done>ask(videoId, replyTo -> new Video.Publish(media, replyTo))))
        .thenCompose(published -> store.deletePrefix(uploadPrefix(videoId)))
        .thenApply(
            d -> {
              log.info("Video {} published", videoId);
              return Done.getInstance();
            });
  }

  private CompletionStage<Done> runLadder(
      String videoId, LadderPlan plan, Path source, Path out, double duration, SegmentShipper shipper) {
    try {
      for (String name : plan.renditionNames()) {
        Files.createDirectories(out.resolve(name));
      }
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    EntityRef<Video.Command> video = video(videoId);
    // Finished segments go to the store while ffmpeg writes the next ones.
    UniqueKillSwitch shipping =
        Source.tick(Duration.ofSeconds(1), Duration.ofSeconds(1), "tick")
            .viaMat(KillSwitches.single(), Keep.right())
            .mapAsync(1, tick -> shipper.ship(false))
            .to(Sink.ignore())
            .run(system);
    var running =
        ProcessLines.run(programs.ffmpegCommand(plan.ffmpegArguments(source, out)), settings.errorLines())
            .map(line -> FfmpegProgress.seconds(line))
            .filter(Optional::isPresent)
            .map(Optional::get)
            .map(seconds -> {
              video.tell(new Video.ReportProgress(Math.min(1, seconds / duration) * LADDER_SHARE));
              return seconds;
            })
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    return running
        .second()
        .thenCombine(running.first(), (streamDone, exit) -> exit)
        .whenComplete((exit, failure) -> shipping.shutdown())
        .thenCompose(exit -> checkExit("ffmpeg (ladder)", exit));
  }

  private CompletionStage<Done> runThumbnails(String videoId, ThumbnailPlan thumbs, Path source, Path out) {
    try {
      Files.createDirectories(out.resolve(ThumbnailPlan.SHEETS));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    var running =
        ProcessLines.run(programs.ffmpegCommand(thumbs.ffmpegArguments(source, out)), settings.errorLines())
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    return running
        .second()
        .thenCombine(running.first(), (streamDone, exit) -> exit)
        .thenCompose(exit -> checkExit("ffmpeg (thumbnails)", exit))
        .thenApply(
            done -> {
              video(videoId).tell(new Video.ReportProgress(LADDER_SHARE + THUMBNAILS_SHARE));
              return done;
            });
  }

  private static CompletionStage<Done> checkExit(String what, ProcessLines.Exit exit) {
    if (exit.succeeded()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    String lines = exit.errorText();
    if (DAMAGED_INPUT.stream().anyMatch(marker -> lines.toLowerCase().contains(marker.toLowerCase()))) {
      return CompletableFuture.failedFuture(
          new MediaRejected("The file is damaged or truncated; ffmpeg said:\n" + lines));
    }
    return CompletableFuture.failedFuture(
        new TranscodeFailure(what + " exited with " + exit.code() + (lines.isEmpty() ? "" : ":\n" + lines)));
  }

  private CompletionStage<List<Rendition>> measure(LadderPlan plan, Path out) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<Rendition> renditions = new ArrayList<>();
          try {
            for (LadderPlan.Rung rung : plan.rungs()) {
              renditions.add(
                  MasterPlaylist.measure(out.resolve(rung.name()), rung.name(), rung.width(), rung.height(), rung.frameRateValue()));
            }
            if (plan.audio()) {
              renditions.add(MasterPlaylist.measure(out.resolve(LadderPlan.AUDIO), LadderPlan.AUDIO, 0, 0, 0));
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return renditions;
        },
        blocking());
  }

  private CompletionStage<Done> recordRenditions(String videoId, List<Rendition> renditions) {
    CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
    for (Rendition rendition : renditions) {
      chain = chain.thenCompose(d -> this.<Done>ask(videoId, replyTo -> new Video.RecordRendition(rendition, replyTo)));
    }
    return chain;
  }

  /** Poster, sheets, VTT and finally the master playlist: once the master is there, all is. */
  private CompletionStage<PublishedMedia> publishFiles(
      String prefix, Path out, ThumbnailPlan thumbs, double duration, List<Rendition> renditions) {
    try {
      Files.writeString(out.resolve(ThumbnailPlan.VTT), thumbs.vtt(duration));
      Files.writeString(out.resolve("master.m3u8"), MasterPlaylist.write(renditions));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<String> files = new ArrayList<>();
    files.add(ThumbnailPlan.POSTER);
    for (int i = 0; i < thumbs.sheets(); i++) {
      files.add(ThumbnailPlan.SHEETS + "/" + ThumbnailPlan.sheetName(i));
    }
    files.add(ThumbnailPlan.VTT);
    return Source.from(files)
        .mapAsync(2, file -> put(prefix, out, file))
        .runWith(Sink.ignore(), system)
        .thenCompose(d -> put(prefix, out, "master.m3u8"))
        .thenApply(
            d ->
                new PublishedMedia(
                    "master.m3u8", ThumbnailPlan.POSTER, ThumbnailPlan.VTT, thumbs.interval(), thumbs.count(), renditions));
  }

  private CompletionStage<Done> put(String prefix, Path out, String file) {
    Path local = out.resolve(file);
    if (!Files.isRegularFile(local)) {
      return CompletableFuture.failedFuture(new TranscodeFailure("ffmpeg did not write " + file));
    }
    return store.putFile(prefix + file, local, ContentTypes.of(file));
  }

  /**
   * Uploads a rendition's files as they are finished: a segment once the next one exists (ffmpeg
   * writes them in order), everything else (init segments, playlists, the last segments) at the
   * end.
   */
  private final class SegmentShipper {
    private final Path out;
    private final String prefix;
    private final List<String> renditions;
    private final Set<String> shipped = new HashSet<>();

    SegmentShipper(Path out, String prefix, List<String> renditions) {
      this.out = out;
      this.prefix = prefix;
      this.renditions = renditions;
    }

    synchronized CompletionStage<Done> ship(boolean finished) {
      List<String> ready = new ArrayList<>();
      for (String rendition : renditions) {
        Path folder = out.resolve(rendition);
        List<String> names;
        try (Stream<Path> files = Files.list(folder)) {
          names = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
          continue;
        }
        List<String> segments = names.stream().filter(n -> n.endsWith(".m4s")).toList();
        for (int i = 0; i < segments.size(); i++) {
          if (finished || i < segments.size() - 1) {
            ready.add(rendition + "/" + segments.get(i));
          }
        }
        if (finished) {
          names.stream().filter(n -> !n.endsWith(".m4s") && !n.endsWith(".tmp")).forEach(n -> ready.add(rendition + "/" + n));
        }
      }
      ready.removeAll(shipped);
      return Source.from(ready)
          .mapAsync(2, file -> put(prefix, out, file).thenApply(d -> file))
          .runWith(Sink.foreach(this::markShipped), system);
    }

    private synchronized void markShipped(String file) {
      shipped.add(file);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Failing and cleaning up

  private CompletionStage<Done> fail(String videoId, String reason) {
    log.info("Video {} failed: {}", videoId, reason);
    return store
        .deletePrefix(videoPrefix(videoId))
        .thenCompose(d -> store.deletePrefix(uploadPrefix(videoId)))
        .thenCompose(d -> this.<Done>ask(videoId, replyTo -> new Video.Fail(reason, replyTo)))
        .exceptionally(
            failure -> {
              if (unwrap(failure) instanceof Rejection) {
                return Done.getInstance(); // already finished or deleted
              }
              throw new CompletionException(failure);
            });
  }

  private CompletionStage<Done> cleanOutputs(String videoId) {
    return status(videoId)
        .thenCompose(
            status ->
                status.state() instanceof Video.Ready
                    ? CompletableFuture.completedFuture(Done.getInstance())
                    : store.deletePrefix(videoPrefix(videoId)).thenCompose(d -> store.deletePrefix(uploadPrefix(videoId))));
  }

  private CompletionStage<Done> cleanDirectory(Path out) {
    return CompletableFuture.supplyAsync(
        () -> {
          deleteQuietly(out);
          try {
            Files.createDirectories(out);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return Done.getInstance();
        },
        blocking());
  }

  static void deleteQuietly(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      log.warn("Could not remove {}", path, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The video entity

  private CompletionStage<Video.Status> status(String videoId) {
    return ask(videoId, Video.Get::new);
  }

  private <T> CompletionStage<T> ask(
      String videoId,
      scala.Function1<org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<T>>, Video.Command> command) {
    return video(videoId).askWithStatus(command, settings.askTimeout());
  }

  private EntityRef<Video.Command> video(String videoId) {
    return sharding.entityRefFor(Video.ENTITY_KEY, videoId);
  }

  private java.util.concurrent.Executor blocking() {
    return system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking());
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String describe(Throwable cause) {
    return cause instanceof TranscodeFailure ? cause.getMessage() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** A transcode attempt failed for a reason worth retrying. */
  static final class TranscodeFailure extends RuntimeException {
    TranscodeFailure(String message) {
      super(message, null, false, false);
    }
  }
}
