package io.watchroom.core.video;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.watchroom.core.JsonSerializable;
import io.watchroom.core.Rejection;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One uploaded video, from the first byte of its upload to its published HLS ladder: the only
 * writer of its lifecycle.
 *
 * <p>The upload arrives in chunks (tus PATCH requests, possibly through different nodes); each
 * chunk is stored in the media store first and then recorded here, and the entity accepts a chunk
 * only at the offset the upload stands at, so concurrent or replayed requests cannot corrupt it.
 * When the last byte is recorded the video is {@code Uploaded}. From there the transcoding job
 * (driven by a projection over these events, on whichever node runs it) reports what it does:
 * probe, attempts, coarse progress, finished renditions, and finally {@code Published} or {@code
 * Failed}. A published, failed or deleted video refuses to start another transcode, which is what
 * keeps a rerun of the projection from transcoding a video twice. A published video records each
 * view (a player loading its master playlist) as an event, which the catalog adds up.
 *
 * <p>Fine-grained progress is runtime state of this instance (watchers poll it at least once a
 * second); only every fifth percent is persisted, so the journal stays small. Events carry their
 * own time; the event handler never reads the wall clock.
 */
public final class Video
    extends EventSourcedBehaviorWithEnforcedReplies<Video.Command, Video.Event, Video.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Video");

  public static final int MAX_TITLE_LENGTH = 200;
  public static final int MAX_FILE_NAME_LENGTH = 255;
  public static final int MAX_OWNER_LENGTH = 128;
  public static final int MAX_REASON_LENGTH = 2000;
  /** Progress is persisted in steps of this many percent. */
  public static final int PROGRESS_STEP = 5;

  // Events are spread over a fixed number of tags so that projections (the catalog and the
  // transcoding jobs) consume them in parallel. The count is part of the stored data.
  public static final int TAG_COUNT = 4;

  // ---------------------------------------------------------------------------------------------
  // Protocol

  public sealed interface Command extends JsonSerializable {}

  /** A command that is answered. */
  public sealed interface Replying<T> extends Command {
    ActorRef<StatusReply<T>> replyTo();
  }

  public record Register(
      String owner, String title, String fileName, long length, ActorRef<StatusReply<Done>> replyTo)
      implements Replying<Done> {}

  /** Bytes {@code [offset, offset + length)} are stored under {@code key}; answers the new offset. */
  public record StoreChunk(long offset, long length, String key, ActorRef<StatusReply<Long>> replyTo)
      implements Replying<Long> {}

  public record Get(ActorRef<StatusReply<Status>> replyTo) implements Replying<Status> {}

  public record RecordProbe(Probe probe, ActorRef<StatusReply<Done>> replyTo) implements Replying<Done> {}

  /** Refused unless the video waits for (or is in) a transcode: the guard against doing it twice. */
  public record StartTranscode(int attempt, String node, ActorRef<StatusReply<Done>> replyTo)
      implements Replying<Done> {}

  /** Overall progress of the running job, 0 to 100; sent often, persisted coarsely. */
  public record ReportProgress(double percent) implements Command {}

  public record RecordRendition(Rendition rendition, ActorRef<StatusReply<Done>> replyTo)
      implements Replying<Done> {}

  public record RecordAttemptFailure(int attempt, String reason, ActorRef<StatusReply<Done>> replyTo)
      implements Replying<Done> {}

  public record Publish(PublishedMedia media, ActorRef<StatusReply<Done>> replyTo)
      implements Replying<Done> {}

  public record Fail(String reason, ActorRef<StatusReply<Done>> replyTo) implements Replying<Done> {}

  /**
   * A player loaded the published video (its master playlist was served): one view. Not answered,
   * and ignored unless the video is published, so counting never holds up serving.
   */
  public record RecordView() implements Command {}

  /** Deletes the video; only its owner may. */
  public record Delete(String requester, ActorRef<StatusReply<Done>> replyTo) implements Replying<Done> {}

  /** The answer to {@link Get}: the state and the live progress of a running job (0 to 100). */
  public record Status(State state, double progress) implements JsonSerializable {}

  // ---------------------------------------------------------------------------------------------
  // Events: each carries the server time it happened at.

  public sealed interface Event extends JsonSerializable {
    long at();
  }

  public record Registered(VideoInfo info) implements Event {
    @Override
    public long at() {
      return info.createdAt();
    }
  }

  public record ChunkStored(Chunk chunk, long at) implements Event {}

  public record Uploaded(long length, long at) implements Event {}

  public record Probed(Probe probe, long at) implements Event {}

  public record TranscodeStarted(int attempt, String node, long at) implements Event {}

  public record Progress(int percent, long at) implements Event {}

  public record RenditionReady(Rendition rendition, long at) implements Event {}

  public record AttemptFailed(int attempt, String reason, long at) implements Event {}

  public record Published(PublishedMedia media, long at) implements Event {}

  public record Failed(String reason, long at) implements Event {}

  public record Deleted(String by, long at) implements Event {}

  /** One view of the published video; the catalog adds them up. */
  public record Viewed(long at) implements Event {}

  // ---------------------------------------------------------------------------------------------
  // State, one record per lifecycle stage.

  // Named subtypes: a State also travels inside a Status reply, where Jackson needs the type.
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "stage")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Unregistered.class, name = "unregistered"),
    @JsonSubTypes.Type(value = Uploading.class, name = "uploading"),
    @JsonSubTypes.Type(value = Processing.class, name = "processing"),
    @JsonSubTypes.Type(value = Ready.class, name = "ready"),
    @JsonSubTypes.Type(value = Broken.class, name = "broken"),
    @JsonSubTypes.Type(value = Removed.class, name = "removed")
  })
  public sealed interface State extends JsonSerializable {}

  /** States of a video that was registered. */
  public sealed interface Existing extends State {
    VideoInfo info();
  }

  public record Unregistered() implements State {}

  /** Chunks arrive; {@code chunks} are in offset order and contiguous from 0. */
  public record Uploading(VideoInfo info, List<Chunk> chunks) implements Existing {
    public Uploading {
      chunks = List.copyOf(chunks);
    }

    public long offset() {
      return chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).offset() + chunks.get(chunks.size() - 1).length();
    }
  }

  /**
   * The file is complete and waits for, or is in, its transcode.
   *
   * @param probe null until probed
   * @param attempts transcode attempts started so far
   * @param percent the last persisted progress step
   * @param lastError the reason of the last failed attempt, or null
   */
  public record Processing(
      VideoInfo info,
      List<Chunk> chunks,
      Probe probe,
      int attempts,
      int percent,
      List<Rendition> renditions,
      String lastError)
      implements Existing {
    public Processing {
      chunks = List.copyOf(chunks);
      renditions = List.copyOf(renditions);
    }

    Processing with(Probe newProbe, int newAttempts, int newPercent, List<Rendition> newRenditions, String newError) {
      return new Processing(info, chunks, newProbe, newAttempts, newPercent, newRenditions, newError);
    }
  }

  public record Ready(VideoInfo info, Probe probe, PublishedMedia media, long publishedAt)
      implements Existing {}

  /** Failed for good; {@code chunks} lists what the upload had stored, for cleaning up. */
  public record Broken(VideoInfo info, String reason, List<Chunk> chunks, long failedAt)
      implements Existing {
    public Broken {
      chunks = List.copyOf(chunks);
    }
  }

  public record Removed(VideoInfo info, long deletedAt) implements Existing {}

  // ---------------------------------------------------------------------------------------------
  // Ids

  private static final String ID_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9_-]{12}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new video id: 12 characters of a 64-letter alphabet, 72 random bits. */
  public static String newId() {
    StringBuilder id = new StringBuilder(12);
    for (int i = 0; i < 12; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  public static boolean isWellFormedId(String id) {
    return id != null && ID_PATTERN.matcher(id).matches();
  }

  public static String tagFor(String videoId) {
    return "video-" + Math.floorMod(videoId.hashCode(), TAG_COUNT);
  }

  public static List<String> tags() {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < TAG_COUNT; i++) {
      tags.add("video-" + i);
    }
    return tags;
  }

  // ---------------------------------------------------------------------------------------------
  // Wiring

  public static void init(ActorSystem<?> system, VideoSettings settings, InstantSource clock) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_KEY, entityContext -> create(entityContext.getEntityId(), settings, clock)));
  }

  public static Behavior<Command> create(String videoId, VideoSettings settings, InstantSource clock) {
    return new Video(videoId, settings, clock);
  }

  private final String videoId;
  private final VideoSettings settings;
  private final InstantSource clock;
  /** Runtime only: the finest progress the running job reported. */
  private double liveProgress;

  private Video(String videoId, VideoSettings settings, InstantSource clock) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), videoId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.videoId = videoId;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return new Unregistered();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(videoId));
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilderByState<Command, Event, Unregistered, State> unregistered =
        newCommandHandlerWithReplyBuilder().forStateType(Unregistered.class);
    unregistered
        .onCommand(Register.class, this::onRegister)
        .onCommand(ReportProgress.class, (state, cmd) -> Effect().noReply())
        .onAnyCommand(this::refuseNotFound);

    CommandHandlerWithReplyBuilderByState<Command, Event, Uploading, State> uploading =
        newCommandHandlerWithReplyBuilder().forStateType(Uploading.class);
    uploading
        .onCommand(StoreChunk.class, this::onStoreChunk)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), StatusReply.success(new Status(state, 0))))
        .onCommand(Delete.class, (state, cmd) -> onDelete(state, cmd))
        .onCommand(Fail.class, (state, cmd) -> onFail(state.info(), state.chunks(), cmd))
        .onCommand(ReportProgress.class, (state, cmd) -> Effect().noReply())
        .onAnyCommand(this::refuseWrongState);

    CommandHandlerWithReplyBuilderByState<Command, Event, Processing, State> processing =
        newCommandHandlerWithReplyBuilder().forStateType(Processing.class);
    processing
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), StatusReply.success(new Status(state, Math.max(liveProgress, state.percent())))))
        .onCommand(RecordProbe.class, this::onRecordProbe)
        .onCommand(StartTranscode.class, this::onStartTranscode)
        .onCommand(ReportProgress.class, this::onReportProgress)
        .onCommand(RecordRendition.class, this::onRecordRendition)
        .onCommand(RecordAttemptFailure.class, this::onRecordAttemptFailure)
        .onCommand(Publish.class, this::onPublish)
        .onCommand(Fail.class, (state, cmd) -> onFail(state.info(), state.chunks(), cmd))
        .onCommand(Delete.class, (state, cmd) -> onDelete(state, cmd))
        .onAnyCommand(this::refuseWrongState);

    // Finished states: readable and deletable, nothing else.
    CommandHandlerWithReplyBuilderByState<Command, Event, Ready, State> ready =
        newCommandHandlerWithReplyBuilder().forStateType(Ready.class);
    ready
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), StatusReply.success(new Status(state, 100))))
        .onCommand(Delete.class, (state, cmd) -> onDelete(state, cmd))
        .onCommand(ReportProgress.class, (state, cmd) -> Effect().noReply())
        // one event a view: the catalog's count stays exact (exactly-once projection), and
        // snapshots keep recovery short however many views a video collects
        .onCommand(RecordView.class, (state, cmd) -> Effect().persist(new Viewed(clock.millis())).thenNoReply())
        .onAnyCommand(this::refuseWrongState);

    CommandHandlerWithReplyBuilderByState<Command, Event, Broken, State> broken =
        newCommandHandlerWithReplyBuilder().forStateType(Broken.class);
    broken
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), StatusReply.success(new Status(state, 0))))
        .onCommand(Delete.class, (state, cmd) -> onDelete(state, cmd))
        .onCommand(ReportProgress.class, (state, cmd) -> Effect().noReply())
        .onAnyCommand(this::refuseWrongState);

    CommandHandlerWithReplyBuilderByState<Command, Event, Removed, State> removed =
        newCommandHandlerWithReplyBuilder().forStateType(Removed.class);
    removed
        .onCommand(ReportProgress.class, (state, cmd) -> Effect().noReply())
        .onAnyCommand(this::refuseNotFound);

    return unregistered.orElse(uploading).orElse(processing).orElse(ready).orElse(broken).orElse(removed).build();
  }

  private ReplyEffect<Event, State> onRegister(Unregistered state, Register cmd) {
    String owner = cmd.owner();
    if (owner == null || owner.isBlank() || owner.length() > MAX_OWNER_LENGTH) {
      return Effect().reply(cmd.replyTo(), invalid("An upload needs an owner."));
    }
    if (cmd.length() <= 0) {
      return Effect().reply(cmd.replyTo(), invalid("An upload must declare a length above 0 bytes."));
    }
    if (cmd.length() > settings.maxUploadBytes()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              rejection(
                  Rejection.TOO_LARGE,
                  "Uploads are limited to " + settings.maxUploadBytes() + " bytes."));
    }
    String fileName = cmd.fileName() == null ? "" : cmd.fileName().strip();
    if (fileName.length() > MAX_FILE_NAME_LENGTH || hasControl(fileName)) {
      return Effect().reply(cmd.replyTo(), invalid("A file name has at most " + MAX_FILE_NAME_LENGTH + " printable characters."));
    }
    String title = cmd.title() == null || cmd.title().isBlank() ? titleFromFileName(fileName) : cmd.title().strip();
    if (title.length() > MAX_TITLE_LENGTH || hasControl(title)) {
      return Effect().reply(cmd.replyTo(), invalid("A title has at most " + MAX_TITLE_LENGTH + " printable characters."));
    }
    VideoInfo info = new VideoInfo(videoId, owner, title, fileName, cmd.length(), clock.millis());
    return Effect().persist(new Registered(info)).thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onStoreChunk(Uploading state, StoreChunk cmd) {
    if (cmd.offset() != state.offset()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              rejection(Rejection.OFFSET_MISMATCH, "The upload stands at byte " + state.offset() + "."));
    }
    if (cmd.length() <= 0) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.offset()));
    }
    if (cmd.offset() + cmd.length() > state.info().length()) {
      return Effect()
          .reply(cmd.replyTo(), rejection(Rejection.TOO_LARGE, "The chunk goes past the declared length."));
    }
    boolean last = cmd.offset() + cmd.length() == state.info().length();
    if (!last && state.chunks().size() + 1 >= settings.maxChunks()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              invalid("An upload may be sent in at most " + settings.maxChunks() + " chunks; send larger ones."));
    }
    long now = clock.millis();
    List<Event> events = new ArrayList<>();
    events.add(new ChunkStored(new Chunk(cmd.offset(), cmd.length(), cmd.key()), now));
    if (last) {
      events.add(new Uploaded(state.info().length(), now));
    }
    return Effect().persist(events).thenReply(cmd.replyTo(), s -> StatusReply.success(cmd.offset() + cmd.length()));
  }

  private ReplyEffect<Event, State> onRecordProbe(Processing state, RecordProbe cmd) {
    if (cmd.probe().equals(state.probe())) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect().persist(new Probed(cmd.probe(), clock.millis())).thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onStartTranscode(Processing state, StartTranscode cmd) {
    liveProgress = 0;
    return Effect()
        .persist(new TranscodeStarted(cmd.attempt(), cmd.node(), clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onReportProgress(Processing state, ReportProgress cmd) {
    if (!Double.isFinite(cmd.percent())) {
      return Effect().noReply();
    }
    liveProgress = Math.max(0, Math.min(100, cmd.percent()));
    int step = (int) (liveProgress / PROGRESS_STEP) * PROGRESS_STEP;
    if (step <= state.percent()) {
      return Effect().noReply();
    }
    return Effect().persist(new Progress(step, clock.millis())).thenNoReply();
  }

  private ReplyEffect<Event, State> onRecordRendition(Processing state, RecordRendition cmd) {
    // A rerun after a crash reports the same rendition again; it replaces the earlier record.
    return Effect()
        .persist(new RenditionReady(cmd.rendition(), clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onRecordAttemptFailure(Processing state, RecordAttemptFailure cmd) {
    return Effect()
        .persist(new AttemptFailed(cmd.attempt(), truncate(cmd.reason()), clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onPublish(Processing state, Publish cmd) {
    if (state.probe() == null) {
      return Effect().reply(cmd.replyTo(), rejection(Rejection.WRONG_STATE, "The video was not probed."));
    }
    return Effect()
        .persist(new Published(cmd.media(), clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onFail(VideoInfo info, List<Chunk> chunks, Fail cmd) {
    String reason = cmd.reason() == null || cmd.reason().isBlank() ? "The video could not be processed." : cmd.reason();
    return Effect()
        .persist(new Failed(truncate(reason), clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onDelete(Existing state, Delete cmd) {
    if (!state.info().owner().equals(cmd.requester())) {
      return Effect()
          .reply(cmd.replyTo(), rejection(Rejection.FORBIDDEN, "Only the uploader may delete this video."));
    }
    return Effect()
        .persist(new Deleted(cmd.requester(), clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> refuseNotFound(State state, Command cmd) {
    return replyTo(cmd)
        .map(r -> Effect().reply(r, notFound()))
        .orElseGet(() -> Effect().noReply());
  }

  private ReplyEffect<Event, State> refuseWrongState(State state, Command cmd) {
    return replyTo(cmd)
        .map(
            r ->
                Effect()
                    .reply(
                        r,
                        rejection(
                            Rejection.WRONG_STATE,
                            "The video is " + stageOf(state) + "; that is not possible now.")))
        .orElseGet(() -> Effect().noReply());
  }

  /** The reply address of a command, typed loosely: every reply here is a StatusReply. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static java.util.Optional<ActorRef<StatusReply<Object>>> replyTo(Command cmd) {
    return cmd instanceof Replying<?> replying
        ? java.util.Optional.of((ActorRef) replying.replyTo())
        : java.util.Optional.empty();
  }

  /** A word for where a video is in its lifecycle, as the API shows it. */
  public static String stageOf(State state) {
    if (state instanceof Uploading) {
      return "uploading";
    } else if (state instanceof Processing p) {
      return p.probe() == null ? "processing" : "transcoding";
    } else if (state instanceof Ready) {
      return "published";
    } else if (state instanceof Broken) {
      return "failed";
    } else if (state instanceof Removed) {
      return "deleted";
    }
    return "unknown";
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forStateType(Unregistered.class).onEvent(Registered.class, (state, e) -> new Uploading(e.info(), List.of()));
    builder
        .forStateType(Uploading.class)
        .onEvent(
            ChunkStored.class,
            (state, e) -> {
              List<Chunk> chunks = new ArrayList<>(state.chunks());
              chunks.add(e.chunk());
              return new Uploading(state.info(), chunks);
            })
        .onEvent(Uploaded.class, (state, e) -> new Processing(state.info(), state.chunks(), null, 0, 0, List.of(), null))
        .onEvent(Failed.class, (state, e) -> new Broken(state.info(), e.reason(), state.chunks(), e.at()))
        .onEvent(Deleted.class, (state, e) -> new Removed(state.info(), e.at()));
    builder
        .forStateType(Processing.class)
        .onEvent(Probed.class, (s, e) -> s.with(e.probe(), s.attempts(), s.percent(), s.renditions(), s.lastError()))
        .onEvent(
            TranscodeStarted.class,
            (s, e) -> s.with(s.probe(), Math.max(s.attempts(), e.attempt()), 0, List.of(), s.lastError()))
        .onEvent(Progress.class, (s, e) -> s.with(s.probe(), s.attempts(), e.percent(), s.renditions(), s.lastError()))
        .onEvent(
            RenditionReady.class,
            (s, e) -> {
              List<Rendition> renditions = new ArrayList<>(s.renditions());
              renditions.removeIf(r -> r.name().equals(e.rendition().name()));
              renditions.add(e.rendition());
              return s.with(s.probe(), s.attempts(), s.percent(), renditions, s.lastError());
            })
        .onEvent(AttemptFailed.class, (s, e) -> s.with(s.probe(), s.attempts(), s.percent(), s.renditions(), e.reason()))
        .onEvent(Published.class, (s, e) -> new Ready(s.info(), s.probe(), e.media(), e.at()))
        .onEvent(Failed.class, (s, e) -> new Broken(s.info(), e.reason(), s.chunks(), e.at()))
        .onEvent(Deleted.class, (s, e) -> new Removed(s.info(), e.at()));
    builder
        .forStateType(Ready.class)
        .onEvent(Viewed.class, (s, e) -> s)
        .onEvent(Deleted.class, (s, e) -> new Removed(s.info(), e.at()));
    builder.forStateType(Broken.class).onEvent(Deleted.class, (s, e) -> new Removed(s.info(), e.at()));
    return builder.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Validation and replies

  static String titleFromFileName(String fileName) {
    String base = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
    base = base.strip();
    if (base.isEmpty()) {
      return "Untitled video";
    }
    return base.length() > MAX_TITLE_LENGTH ? base.substring(0, MAX_TITLE_LENGTH) : base;
  }

  private static boolean hasControl(String text) {
    return text.codePoints().anyMatch(Character::isISOControl);
  }

  private static String truncate(String reason) {
    return reason.length() > MAX_REASON_LENGTH ? reason.substring(reason.length() - MAX_REASON_LENGTH) : reason;
  }

  private static <T> StatusReply<T> rejection(String code, String message) {
    return StatusReply.error(new Rejection(code, message));
  }

  private static <T> StatusReply<T> invalid(String message) {
    return rejection(Rejection.INVALID, message);
  }

  private static <T> StatusReply<T> notFound() {
    return rejection(Rejection.NOT_FOUND, "There is no video with this id.");
  }
}
