package io.watchroom.http;

import io.watchroom.core.Rejection;
import io.watchroom.core.room.MemberStatus.PlayerState;
import io.watchroom.core.room.Permission;
import io.watchroom.core.room.Role;
import io.watchroom.core.room.Room;
import io.watchroom.core.room.RoomSettings.PlaybackMode;
import io.watchroom.core.room.RoomSettings.QueueMode;
import io.watchroom.core.room.RoomSettings.Visibility;
import io.watchroom.extraction.LinkInfo;
import io.watchroom.extraction.ResolveFailure;
import io.watchroom.http.auth.Authenticator;
import io.watchroom.http.links.LinkInspector;
import io.watchroom.http.auth.Identity;
import io.watchroom.http.protocol.ClientMessage;
import io.watchroom.http.protocol.ClientMessage.Fields;
import io.watchroom.http.protocol.ClientMessage.Malformed;
import io.watchroom.http.protocol.MemberView;
import io.watchroom.http.protocol.RoomView;
import io.watchroom.http.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.metric.Timer;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's connection to a room: sits between its WebSocket and the sharded Room entity.
 *
 * <p>The first {@code join} carries the session token; once it checks out, the session joins the
 * room as that user. From then on frames from the client are parsed and turned into Room commands;
 * the room's answers and every change it broadcasts are turned back into frames. Clock probes are
 * answered here, on the node the client is connected to, without involving the room. The session
 * watches the room entity it joined: when the room stops because its node left or its shard
 * moved, the session joins again (the next message recovers the room wherever sharding now places
 * it) and sends a fresh {@code welcome}, so the client resyncs without reconnecting.
 *
 * <p>Sessions are local to their node and their messages never cross the network, except the
 * room's updates, which arrive through a message adapter.
 */
public final class ClientSession {

  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

  private static final Counter messagesIn =
      Kamon.counter("watchroom.ws.messages").withTag("direction", "in");
  private static final Counter messagesOut =
      Kamon.counter("watchroom.ws.messages").withTag("direction", "out");
  private static final Histogram drift =
      Kamon.histogram("watchroom.sync.drift", MeasurementUnit.time().microseconds()).withoutTags();

  private static final double MAX_DRIFT_MS = 3_600_000;
  // From the session's ask to the room's answer: routing through sharding, the room's own work
  // and, for actions, persisting the event. Measured here because core stays free of Kamon.
  private static final Timer actionLatency =
      Kamon.timer("watchroom.room.ask").withTag("kind", "action");
  private static final Timer joinLatency = Kamon.timer("watchroom.room.ask").withTag("kind", "join");

  // After a node crash a join can be routed to the dead node until sharding has re-allocated the
  // room's shard (failure detection plus downing, seconds); such a join is lost, not refused. So
  // joins wait at most JOIN_TIMEOUT and are retried with a short backoff, about 40 s in all,
  // rather than waiting out the full ask timeout once.
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(2);
  private static final int MAX_REJOIN_ATTEMPTS = 12;
  /** Links read at the same time for one connection: each may run an extractor. */
  private static final int MAX_INSPECTIONS = 3;

  /** Links a connection may have waiting to be read; a pasted burst fits, a flood does not. */
  private static final int MAX_WAITING_LINKS = 25;

  /** What the session reacts to; local messages only. */
  public sealed interface Message {}

  /** A complete text frame from the client. */
  public record FromClient(String text) implements Message {}

  /** A frame refused before parsing (too large, binary). */
  public record FrameRefused(String code, String message) implements Message {}

  /** The client's socket closed or failed. */
  public record SocketClosed() implements Message {}

  /**
   * The node is shutting down: tell the client to reconnect elsewhere, then close. Coordinated
   * shutdown publishes it on the system's event stream, where every session listens, so clients
   * move to a node that stays before this node's rooms are handed off.
   */
  public record Drain(String reason) implements Message {
    public static final String SHUTDOWN = "shutdown";
  }

  record RoomChanged(Room.Update update) implements Message {}

  record Authenticated(Optional<Identity> identity, String invite, String ref) implements Message {}

  record JoinAnswered(Room.Joined joined, Throwable failure, String ref, boolean resync, long askedAt)
      implements Message {}

  record ActionAnswered(Throwable failure, String ref, long askedAt) implements Message {}

  record RoomStopped() implements Message {}

  record RetryJoin() implements Message {}

  record Inspected(long sequence, List<LinkInfo> found, Throwable failure) implements Message {}

  /** The outgoing side of the client's socket. */
  public interface Connection {
    /**
     * Queues a frame; false when the client has fallen so far behind that its bounded buffer is
     * full, in which case the connection has been failed and the session should end.
     */
    boolean send(ServerMessage message);

    /** Queues a room update, as {@link #send(ServerMessage)} does its message. */
    boolean send(Room.Update update);

    /** Ends the connection after the frames already queued. */
    void close();
  }

  public static Behavior<Message> create(
      String roomId,
      Connection socket,
      ClusterSharding sharding,
      Authenticator authenticator,
      LinkInspector links,
      InstantSource clock,
      Duration askTimeout) {
    // Every log line of a session carries its room (structured logs, see the node's logback.xml).
    return Behaviors.withMdc(
        Message.class,
        Map.of("roomId", roomId),
        Behaviors.setup(
            context -> {
              context
                  .getSystem()
                  .eventStream()
                  .tell(new EventStream.Subscribe<>(Drain.class, context.getSelf().narrow()));
              return Behaviors.withTimers(
                  timers ->
                      new ClientSession(
                              roomId, socket, sharding, authenticator, links, clock, askTimeout, context, timers)
                          .receive());
            }));
  }

  private final String roomId;
  private final Connection socket;
  private final EntityRef<Room.Command> room;
  private final Authenticator authenticator;
  private final LinkInspector inspector;
  private final InstantSource clock;
  private final Duration askTimeout;
  private final ActorContext<Message> context;
  private final TimerScheduler<Message> timers;
  private final ActorRef<Room.Update> updates;

  /** Who this connection is, once its token checked out. */
  private Identity identity;

  private String invite;
  private boolean joined;
  private int rejoinAttempts;
  /** Links waiting to be read or applied, in the order the client sent them. */
  private final ArrayDeque<LinkRequest> waitingLinks = new ArrayDeque<>();
  private long linkSequence;
  private int inspecting;

  private ClientSession(
      String roomId,
      Connection socket,
      ClusterSharding sharding,
      Authenticator authenticator,
      LinkInspector links,
      InstantSource clock,
      Duration askTimeout,
      ActorContext<Message> context,
      TimerScheduler<Message> timers) {
    this.inspector = links;
    this.roomId = roomId;
    this.socket = socket;
    this.room = sharding.entityRefFor(Room.ENTITY_KEY, roomId);
    this.authenticator = authenticator;
    this.clock = clock;
    this.askTimeout = askTimeout;
    this.context = context;
    this.timers = timers;
    this.updates = context.messageAdapter(Room.Update.class, RoomChanged::new);
  }

  private Behavior<Message> receive() {
    return Behaviors.receive(Message.class)
        .onMessage(FromClient.class, this::onFromClient)
        .onMessage(FrameRefused.class, m -> send(new ServerMessage.Error(m.code(), m.message(), null)))
        .onMessage(RoomChanged.class, m -> onRoomChanged(m.update()))
        .onMessage(Authenticated.class, this::onAuthenticated)
        .onMessage(JoinAnswered.class, this::onJoinAnswered)
        .onMessage(ActionAnswered.class, this::onActionAnswered)
        .onMessage(RoomStopped.class, m -> onRoomStopped())
        .onMessage(RetryJoin.class, m -> askJoin(null, true))
        .onMessage(Inspected.class, this::onInspected)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(SocketClosed.class, m -> onSocketClosed())
        .build();
  }

  private Behavior<Message> onFromClient(FromClient frame) {
    messagesIn.increment();
    ClientMessage message;
    try {
      message = ClientMessage.parse(frame.text(), Json.mapper(context.getSystem()));
      return onMessage(message);
    } catch (Malformed malformed) {
      return send(malformed.toError());
    }
  }

  private Behavior<Message> onMessage(ClientMessage message) throws Malformed {
    Fields f = message.fields();
    String ref = message.ref();
    switch (message.type()) {
      case "time" -> {
        // Sub-millisecond server time: the offset estimate is only as fine as this value.
        Instant now = clock.instant();
        return send(new ServerMessage.Time(f.number("t0"), now.getEpochSecond() * 1000.0 + now.getNano() / 1_000_000.0));
      }
      case "join" -> {
        String token = f.string("token");
        String withInvite = f.optionalString("invite");
        context.pipeToSelf(
            authenticator.authenticate(token),
            (who, failure) -> new Authenticated(failure == null ? who : Optional.empty(), withInvite, ref));
        return Behaviors.same();
      }
      default -> {
        if (!joined) {
          return send(new ServerMessage.Error("not_joined", "Send join first.", ref));
        }
        return onRoomMessage(message.type(), f, ref);
      }
    }
  }

  /** A room action from a joined member, as the room command it stands for. */
  private Behavior<Message> onRoomMessage(String type, Fields f, String ref) throws Malformed {
    String me = identity.userId();
    switch (type) {
      case "play" -> act(ref, r -> new Room.Play(me, r));
      case "pause" -> act(ref, r -> new Room.Pause(me, r));
      case "seek" -> {
        double position = f.number("position");
        act(ref, r -> new Room.Seek(me, position, r));
      }
      case "rate" -> {
        double rate = f.number("rate");
        act(ref, r -> new Room.SetRate(me, rate, r));
      }
      case "set_media" -> {
        String url = f.string("url");
        String title = f.optionalString("title");
        inspectThen(ref, url, found -> {
          LinkInfo info = found.get(0);
          act(ref, r -> new Room.SetMedia(me, info.url(), title != null ? title : info.title(), info.duration(), info.thumbnail(), r));
        });
      }
      case "duration" -> room.tell(new Room.ReportDuration(me, f.string("url"), f.number("duration")));
      case "drift" -> {
        double ms = f.number("ms");
        if (Math.abs(ms) > MAX_DRIFT_MS) {
          throw f.invalid("ms must be within +-3600000.");
        }
        drift.record(Math.round(Math.abs(ms) * 1000));
      }
      case "status" -> {
        PlayerState state = f.enumValue("state", f.string("state"), PlayerState.class);
        Double rtt = f.optionalNumber("rtt");
        room.tell(new Room.ReportStatus(me, state, rtt == null ? 0 : rtt));
      }
      case "typing" -> room.tell(new Room.SetTyping(me, f.bool("typing")));
      case "rename" -> {
        String name = f.string("name");
        act(ref, r -> new Room.Rename(me, name, r));
      }
      case "queue_add" -> {
        String url = f.string("url");
        String title = f.optionalString("title");
        Double duration = f.optionalNumber("duration");
        String thumbnail = f.optionalString("thumbnail");
        inspectThen(ref, url, found -> {
          // A playlist adds each of its entries, in order; a single link keeps a title given with it.
          for (LinkInfo info : found) {
            String itemTitle = found.size() == 1 && title != null ? title : info.title();
            Double itemDuration = info.duration() != null ? info.duration() : found.size() == 1 ? duration : null;
            String itemThumbnail = info.thumbnail() != null ? info.thumbnail() : found.size() == 1 ? thumbnail : null;
            act(ref, r -> new Room.AddToQueue(me, info.url(), itemTitle, itemDuration, itemThumbnail, r));
          }
        });
      }
      case "queue_remove" -> {
        String item = f.string("item");
        act(ref, r -> new Room.RemoveFromQueue(me, item, r));
      }
      case "queue_move" -> {
        String item = f.string("item");
        int to = f.integer("to");
        act(ref, r -> new Room.MoveInQueue(me, item, to, r));
      }
      case "queue_play_now" -> {
        String item = f.string("item");
        act(ref, r -> new Room.PlayNow(me, item, r));
      }
      case "queue_clear" -> act(ref, r -> new Room.ClearQueue(me, r));
      case "skip" -> act(ref, r -> new Room.Skip(me, r));
      case "vote" -> {
        String item = f.string("item");
        boolean up = f.bool("up");
        act(ref, r -> new Room.VoteForItem(me, item, up, r));
      }
      case "vote_skip" -> {
        boolean skip = f.bool("skip");
        act(ref, r -> new Room.VoteToSkip(me, skip, r));
      }
      case "queue_undo" -> act(ref, r -> new Room.UndoQueueChange(me, r));
      case "chat" -> {
        String text = f.string("text");
        Double videoTime = f.optionalNumber("videoTime");
        act(ref, r -> new Room.PostChat(me, text, videoTime, r));
      }
      case "react" -> {
        long messageId = f.longInteger("message");
        String emoji = f.string("emoji");
        act(ref, r -> new Room.React(me, messageId, emoji, r));
      }
      case "settings" -> {
        Room.SettingsChange change = settingsChange(f);
        act(ref, r -> new Room.ChangeSettings(me, change, r));
      }
      case "rotate_invite" -> act(ref, r -> new Room.RotateInvite(me, r));
      case "set_role" -> {
        String member = f.string("member");
        Role role = f.enumValue("role", f.string("role"), Role.class);
        act(ref, r -> new Room.SetRole(me, member, role, r));
      }
      case "kick" -> {
        String member = f.string("member");
        String reason = f.optionalString("reason");
        act(ref, r -> new Room.KickMember(me, member, reason, r));
      }
      case "ban" -> {
        String member = f.string("member");
        String reason = f.optionalString("reason");
        act(ref, r -> new Room.BanMember(me, member, reason, r));
      }
      case "unban" -> {
        String member = f.string("member");
        act(ref, r -> new Room.UnbanMember(me, member, r));
      }
      default -> throw new IllegalStateException("ClientMessage.TYPES lists an unhandled type: " + type);
    }
    return Behaviors.same();
  }

  /** A link the client sent, from arrival until its result is applied. */
  private static final class LinkRequest {
    final long sequence;
    final String ref;
    final String url;
    final java.util.function.Consumer<List<LinkInfo>> then;
    boolean started;
    Inspected result;

    LinkRequest(long sequence, String ref, String url, java.util.function.Consumer<List<LinkInfo>> then) {
      this.sequence = sequence;
      this.ref = ref;
      this.url = url;
      this.then = then;
    }
  }

  /**
   * Learns what a link is (title, duration, picture; a playlist's entries) before it goes into the
   * room. A few are read at once, but results are applied in the order the client sent the links,
   * so pasting several links in a row queues them in that order however fast each one resolves.
   */
  private void inspectThen(String ref, String url, java.util.function.Consumer<List<LinkInfo>> then) {
    if (waitingLinks.size() >= MAX_WAITING_LINKS) {
      send(new ServerMessage.Error("rate_limited", "Wait for the links you added to be read first.", ref));
      return;
    }
    waitingLinks.addLast(new LinkRequest(++linkSequence, ref, url, then));
    startInspections();
  }

  private void startInspections() {
    for (LinkRequest request : waitingLinks) {
      if (inspecting >= MAX_INSPECTIONS) {
        return;
      }
      if (!request.started) {
        request.started = true;
        inspecting++;
        long sequence = request.sequence;
        context.pipeToSelf(inspector.inspect(request.url), (found, failure) -> new Inspected(sequence, found, failure));
      }
    }
  }

  private Behavior<Message> onInspected(Inspected inspected) {
    inspecting--;
    for (LinkRequest request : waitingLinks) {
      if (request.sequence == inspected.sequence()) {
        request.result = inspected;
      }
    }
    while (!waitingLinks.isEmpty() && waitingLinks.peekFirst().result != null) {
      LinkRequest done = waitingLinks.pollFirst();
      Behavior<Message> next = apply(done);
      if (next != Behaviors.<Message>same()) {
        return next;
      }
    }
    startInspections();
    return Behaviors.same();
  }

  /** Sends the room what a read link turned out to be, or the client why it cannot be played. */
  private Behavior<Message> apply(LinkRequest request) {
    Inspected inspected = request.result;
    if (inspected.failure() != null) {
      Throwable cause = inspected.failure();
      while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof ResolveFailure failure) {
        return send(new ServerMessage.Error(failure.code().wireName(), failure.getMessage(), request.ref));
      }
      return send(errorFor(cause, request.ref));
    }
    if (inspected.found().isEmpty()) {
      return send(new ServerMessage.Error("not_found", "The link has nothing to play.", request.ref));
    }
    if (joined) {
      request.then.accept(inspected.found());
    }
    return Behaviors.same();
  }

  private static Room.SettingsChange settingsChange(Fields f) throws Malformed {
    Map<String, String> matrix = f.optionalStringMap("permissions", Permission.values().length);
    Map<Permission, Role> permissions = null;
    if (matrix != null) {
      permissions = new EnumMap<>(Permission.class);
      for (Map.Entry<String, String> entry : matrix.entrySet()) {
        permissions.put(
            f.enumValue("permissions", entry.getKey(), Permission.class),
            f.enumValue("permissions." + entry.getKey(), entry.getValue(), Role.class));
      }
    }
    return new Room.SettingsChange(
        f.optionalString("title"),
        f.optionalString("description"),
        f.optionalEnum("visibility", Visibility.class),
        f.optionalBool("temporary"),
        f.optionalEnum("playbackMode", PlaybackMode.class),
        f.optionalEnum("queueMode", QueueMode.class),
        f.optionalNumber("voteSkipRatio"),
        permissions);
  }

  // --- joining ---------------------------------------------------------------------------------

  private Behavior<Message> onAuthenticated(Authenticated answer) {
    if (answer.identity().isEmpty()) {
      return send(new ServerMessage.Error("unauthorized", "The session token is not valid; start a new session.", answer.ref()));
    }
    Identity who = answer.identity().get();
    if (identity != null && !identity.userId().equals(who.userId())) {
      return send(new ServerMessage.Error("invalid", "This connection already belongs to someone else.", answer.ref()));
    }
    identity = who;
    invite = answer.invite();
    return askJoin(answer.ref(), false);
  }

  private Behavior<Message> askJoin(String ref, boolean resync) {
    long askedAt = System.nanoTime();
    context.askWithStatus(
        Room.Joined.class,
        room,
        askTimeout.compareTo(JOIN_TIMEOUT) < 0 ? askTimeout : JOIN_TIMEOUT,
        replyTo ->
            new Room.Join(identity.userId(), identity.name(), !identity.isAccount(), invite, updates, replyTo),
        (joinedReply, failure) -> new JoinAnswered(joinedReply, failure, ref, resync, askedAt));
    return Behaviors.same();
  }

  private Behavior<Message> onJoinAnswered(JoinAnswered answer) {
    joinLatency.record(System.nanoTime() - answer.askedAt());
    if (answer.failure() != null) {
      // A first join or a re-join that got no answer is retried: the room may be moving.
      if (!(answer.failure() instanceof Rejection)) {
        return scheduleRejoin();
      }
      Behavior<Message> next = send(errorFor(answer.failure(), answer.ref()));
      return answer.resync() ? closeWith(null) : next;
    }
    Room.Joined reply = answer.joined();
    joined = true;
    rejoinAttempts = 0;
    context.watchWith(reply.entity(), new RoomStopped());
    long now = clock.millis();
    return send(
        new ServerMessage.Welcome(
            MemberView.of(reply.you(), reply.role(), reply.presence().get(reply.you().id())),
            RoomView.of(reply.room(), reply.presence(), reply.role(), now),
            now));
  }

  private Behavior<Message> onRoomStopped() {
    if (!joined) {
      return Behaviors.same();
    }
    log.info("Room {} stopped under member {}; joining again", roomId, identity.userId());
    return askJoin(null, true);
  }

  private Behavior<Message> scheduleRejoin() {
    rejoinAttempts++;
    if (rejoinAttempts > MAX_REJOIN_ATTEMPTS) {
      // The client reconnects by itself and gets a fresh session; this one gives up.
      return closeWith(new ServerMessage.Error("unavailable", "The room is not answering; reconnecting.", null));
    }
    timers.startSingleTimer(new RetryJoin(), Duration.ofMillis(Math.min(2000L, 100L << Math.min(rejoinAttempts, 5))));
    return Behaviors.same();
  }

  // --- room traffic ----------------------------------------------------------------------------

  private Behavior<Message> onRoomChanged(Room.Update update) {
    if (update instanceof Room.Removed || update instanceof Room.Closed) {
      // Out of the room: say why and end the connection; the room already let go of it.
      joined = false;
      return closeWith(ServerMessage.of(update));
    }
    return queued(socket.send(update));
  }

  private void act(String ref, java.util.function.Function<ActorRef<StatusReply<Done>>, Room.Command> command) {
    long askedAt = System.nanoTime();
    context.askWithStatus(
        Done.class, room, askTimeout, command::apply, (done, failure) -> new ActionAnswered(failure, ref, askedAt));
  }

  private Behavior<Message> onActionAnswered(ActionAnswered answer) {
    actionLatency.record(System.nanoTime() - answer.askedAt());
    if (answer.failure() == null) {
      return Behaviors.same();
    }
    return send(errorFor(answer.failure(), answer.ref()));
  }

  private Behavior<Message> onSocketClosed() {
    if (joined) {
      room.tell(new Room.Leave(identity.userId(), updates));
    }
    // The outgoing side ends with the session, so the connection's handler completes.
    socket.close();
    return Behaviors.stopped();
  }

  private Behavior<Message> onDrain(Drain drain) {
    log.info("Sending a client of room {} to another node ({})", roomId, drain.reason());
    return closeWith(new ServerMessage.Reconnect(drain.reason()));
  }

  private Behavior<Message> closeWith(ServerMessage last) {
    if (last != null) {
      messagesOut.increment();
      socket.send(last);
    }
    if (joined) {
      room.tell(new Room.Leave(identity.userId(), updates));
    }
    socket.close();
    return Behaviors.stopped();
  }

  private Behavior<Message> send(ServerMessage message) {
    return queued(socket.send(message));
  }

  /** Counts a frame handed to the socket; one it could not queue ends the session. */
  private Behavior<Message> queued(boolean accepted) {
    messagesOut.increment();
    if (!accepted) {
      // Too slow to keep up: the connection is dropped rather than slowing the room.
      log.info("Dropping a client of room {} that does not read its frames", roomId);
      return onSocketClosed();
    }
    return Behaviors.same();
  }

  private ServerMessage.Error errorFor(Throwable failure, String ref) {
    if (failure instanceof Rejection rejection) {
      return new ServerMessage.Error(rejection.code(), rejection.getMessage(), ref);
    }
    if (failure instanceof TimeoutException) {
      return new ServerMessage.Error("unavailable", "The room did not answer in time; try again.", ref);
    }
    log.warn("Room {} failed a request", roomId, failure);
    return new ServerMessage.Error("internal", "Something went wrong on the server.", ref);
  }
}
