package io.watchroom.core.room;

import io.watchroom.core.JsonSerializable;
import io.watchroom.core.Rejection;
import io.watchroom.core.room.MemberStatus.PlayerState;
import io.watchroom.core.room.RoomSettings.PlaybackMode;
import io.watchroom.core.room.RoomSettings.QueueMode;
import io.watchroom.core.room.RoomSettings.Visibility;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A watch-together room: the only writer of its members, roles, settings, queue, chat and
 * playback clock.
 *
 * <p>Each room is a sharded, event-sourced entity, so whichever node a browser connects to, its
 * session reaches the one place the room lives: the cluster provides room affinity. A command is
 * checked against the current state (membership, the permission matrix, ranges), the resulting
 * events are persisted, and only then is the sender answered and every connected session told.
 * Events carry the server time they happened at and the values they resulted in, and {@link
 * #apply} never reads the wall clock, so replaying the journal reproduces the room exactly; the
 * same function rebuilds a room's state at any event for debugging.
 *
 * <p>What is not worth persisting is runtime state of this instance: the connected sessions, each
 * member's player status and typing, chat rate counters. After a restart or a move the sessions
 * join again; members recovered from the journal who do not come back within a grace period are
 * recorded as having left. Likewise a member whose last connection closes is recorded as gone
 * only after a short grace, so a page reload does not show as a leave and a join.
 */
public final class Room
    extends EventSourcedBehaviorWithEnforcedReplies<Room.Command, Room.Event, Room.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Room");

  public static final int MAX_TITLE_LENGTH = 120;
  public static final int MAX_MEDIA_TITLE_LENGTH = 200;
  public static final int MAX_NAME_LENGTH = 40;
  public static final int MAX_URL_LENGTH = 2048;
  public static final int MAX_REASON_LENGTH = 200;
  public static final int MAX_QUEUE_LENGTH = 500;
  public static final int CHAT_KEPT_IN_STATE = 100;
  /** Ten days: longer than any real media, short enough to keep clock arithmetic exact. */
  public static final double MAX_DURATION_SECONDS = 864_000;
  /** A scheduled start waits at least this long, so every player has time to get ready. */
  public static final long MIN_START_DELAY_MILLIS = 500;

  // Events are spread over a fixed number of tags so that projections can consume them in
  // parallel. The count is part of the stored data: changing it re-partitions new events only.
  public static final int TAG_COUNT = 4;

  // ---------------------------------------------------------------------------------------------
  // Protocol: every command names the user it acts for; the room decides what they may do.

  public sealed interface Command extends JsonSerializable {}

  /** A member's action, answered with an acknowledgement or the reason it was refused. */
  public sealed interface Action extends Command {
    ActorRef<StatusReply<Done>> replyTo();
  }

  public record Create(
      String ownerId,
      String title,
      Visibility visibility,
      boolean temporary,
      ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  /**
   * Joins with a connection (a member may have several, one per open page). {@code session}
   * receives every {@link Update} until it leaves or stops. {@code invite} opens a private room.
   */
  public record Join(
      String userId,
      String name,
      boolean guest,
      String invite,
      ActorRef<Update> session,
      ActorRef<StatusReply<Joined>> replyTo)
      implements Command {}

  /** One connection of a member closed. */
  public record Leave(String userId, ActorRef<Update> session) implements Command {}

  public record Rename(String userId, String name, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  /** A member's player reports how it is doing, with the round trip its clock probes measure. */
  public record ReportStatus(String userId, PlayerState state, double rttMs) implements Command {}

  public record SetTyping(String userId, boolean typing) implements Command {}

  public record Play(String userId, ActorRef<StatusReply<Done>> replyTo) implements Action {}

  public record Pause(String userId, ActorRef<StatusReply<Done>> replyTo) implements Action {}

  public record Seek(String userId, double position, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record SetRate(String userId, double rate, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  /** A player measured the duration of {@code url}; the first report for the current item wins. */
  public record ReportDuration(String userId, String url, double duration) implements Command {}

  /** Appends an item to the queue (it plays at once when nothing is playing). */
  public record AddToQueue(
      String userId,
      String url,
      String title,
      Double duration,
      String thumbnail,
      ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  /** Plays a URL now, in place of the current item; the room starts paused at its beginning. */
  public record SetMedia(
      String userId,
      String url,
      String title,
      Double duration,
      String thumbnail,
      ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record RemoveFromQueue(String userId, String itemId, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record MoveInQueue(
      String userId, String itemId, int toIndex, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record PlayNow(String userId, String itemId, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record ClearQueue(String userId, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record Skip(String userId, ActorRef<StatusReply<Done>> replyTo) implements Action {}

  public record VoteForItem(
      String userId, String itemId, boolean up, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record VoteToSkip(String userId, boolean skip, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  /** Puts the upcoming queue back as it was before its last change. */
  public record UndoQueueChange(String userId, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record PostChat(
      String userId, String text, Double videoTime, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  /** Adds the user's reaction to a message, or takes it back if it is there. */
  public record React(
      String userId, long messageId, String emoji, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  /** Changes the settings; null fields stay as they are. */
  public record ChangeSettings(
      String userId, SettingsChange change, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record SettingsChange(
      String title,
      String description,
      Visibility visibility,
      Boolean temporary,
      PlaybackMode playbackMode,
      QueueMode queueMode,
      Double voteSkipRatio,
      Map<Permission, Role> permissions)
      implements JsonSerializable {}

  public record RotateInvite(String userId, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record SetRole(
      String userId, String targetId, Role role, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record KickMember(
      String userId, String targetId, String reason, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record BanMember(
      String userId, String targetId, String reason, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  public record UnbanMember(String userId, String targetId, ActorRef<StatusReply<Done>> replyTo)
      implements Action {}

  /**
   * The room as {@code viewerId} (null: anonymous) may see it; a private room needs a role, an
   * earlier admission, or its invite.
   */
  public record GetState(String viewerId, String invite, ActorRef<StatusReply<Snapshot>> replyTo)
      implements Command {}

  /** Sent to the room by death watch when a connection stops without saying goodbye. */
  record SessionEnded(String userId, ActorRef<Update> session) implements Command {}

  /** The playing clock may have reached the end of the current item. */
  record CheckEnd() implements Command {}

  /** Members recovered from the journal had time to reconnect. */
  record SweepAbsentMembers() implements Command {}

  /** A member's leave grace ran out. */
  record LeaveGraceOver(String userId) implements Command {}

  /** A member has been typing without saying so again for a while. */
  record TypingExpired(String userId) implements Command {}

  /** A member may have been buffering for longer than the threshold. */
  record CheckBuffering(String userId) implements Command {}

  /** Someone stopped blocking a room that paused for buffering members; maybe resume. */
  record CheckResume() implements Command {}

  /** Nobody has been connected for the idle timeout. */
  record CheckIdle() implements Command {}

  /** A temporary room may have been empty long enough to be forgotten. */
  record ForgetIfExpired() implements Command {}

  // --- replies ---------------------------------------------------------------------------------

  /**
   * The reply to a {@link Join}: who the member is, the room as it is now with everyone's player
   * status, and the entity itself, which a session watches so that it can join again when the
   * room moves to another node.
   */
  public record Joined(
      Member you, Role role, Open room, Map<String, MemberStatus> presence, ActorRef<Command> entity)
      implements JsonSerializable {}

  /** The reply to {@link GetState}: the room, its members' status, and the viewer's role. */
  public record Snapshot(Open room, Map<String, MemberStatus> presence, Role viewerRole)
      implements JsonSerializable {}

  // --- what connected sessions are told after each change ---------------------------------------

  public sealed interface Update extends JsonSerializable {}

  /**
   * The clock changed. {@code by} is the member who caused it, or null when the room did (the
   * media ended, or it paused or resumed for members who were buffering, listed in {@code
   * waitingFor}).
   */
  public record PlaybackUpdate(PlaybackClock playback, String by, List<String> waitingFor)
      implements Update {}

  /** The current item changed (null: nothing plays) or its duration became known. */
  public record MediaUpdate(QueueItem current, String by) implements Update {}

  /** The upcoming queue, in playing order. */
  public record QueueUpdate(List<QueueItem> queue, boolean canUndo, String by) implements Update {}

  public enum Membership {
    JOINED,
    LEFT,
    RENAMED,
    ROLE_CHANGED
  }

  public record MembershipUpdate(Membership change, Member member, Role role) implements Update {}

  /** A member's player status or typing changed. */
  public record PresenceUpdate(String userId, MemberStatus status) implements Update {}

  /** A chat message was posted or its reactions changed. */
  public record ChatUpdate(ChatMessage message) implements Update {}

  /** The settings changed. The invite token is left out: see {@link InviteUpdate}. */
  public record SettingsUpdate(RoomSettings settings, String by) implements Update {}

  /** The private room's invite token, sent only to those who may change settings. */
  public record InviteUpdate(String inviteToken) implements Update {}

  public record SkipVoteUpdate(List<String> voters, int needed) implements Update {}

  /** This connection's member was kicked or banned; the session closes. */
  public record Removed(boolean banned, String reason, String by) implements Update {}

  /** The room was forgotten (a temporary room left empty). */
  public record Closed() implements Update {}

  // ---------------------------------------------------------------------------------------------
  // Events: each carries the server time it happened at and the values it resulted in.

  public sealed interface Event extends JsonSerializable {
    long at();

    /** Who caused the event, for history; null when the room did. */
    default String by() {
      return null;
    }
  }

  public record RoomCreated(String roomId, String ownerId, RoomSettings settings, long at)
      implements Event {
    @Override
    public String by() {
      return ownerId;
    }
  }

  /** {@code admitted}: the member came in with a private room's invite and may come back. */
  public record MemberJoined(Member member, boolean admitted) implements Event {
    @Override
    public long at() {
      return member.joinedAt();
    }

    @Override
    public String by() {
      return member.id();
    }
  }

  public record MemberRenamed(String userId, String name, long at) implements Event {
    @Override
    public String by() {
      return userId;
    }
  }

  public record MemberLeft(String userId, long at) implements Event {
    @Override
    public String by() {
      return userId;
    }
  }

  public record MemberKicked(String userId, String reason, String by, long at) implements Event {}

  public record MemberBanned(Ban ban) implements Event {
    @Override
    public long at() {
      return ban.at();
    }

    @Override
    public String by() {
      return ban.by();
    }
  }

  public record MemberUnbanned(String userId, String by, long at) implements Event {}

  public record RoleChanged(String userId, Role role, String by, long at) implements Event {}

  public record SettingsChanged(RoomSettings settings, String by, long at) implements Event {}

  public record InviteRotated(String inviteToken, String by, long at) implements Event {}

  public record QueueItemAdded(QueueItem item, long at) implements Event {
    @Override
    public String by() {
      return item.addedBy();
    }
  }

  public record QueueItemRemoved(String itemId, String by, long at) implements Event {}

  public record QueueItemMoved(String itemId, int toIndex, String by, long at) implements Event {}

  public record QueueCleared(String by, long at) implements Event {}

  public record QueueItemVoted(String itemId, String userId, boolean up, long at)
      implements Event {
    @Override
    public String by() {
      return userId;
    }
  }

  public record QueueRestored(List<QueueItem> queue, String by, long at) implements Event {}

  /**
   * {@code item} (null: nothing) becomes the current item, from its start. With {@code
   * requeuePrevious} the item it replaces goes to the end of the queue (loop mode).
   */
  public record NowPlaying(
      QueueItem item, boolean playing, boolean requeuePrevious, Advance reason, String by, long at)
      implements Event {}

  public enum Advance {
    ADDED,
    PLAY_NOW,
    ENDED,
    REPEATED,
    SKIPPED,
    VOTE_SKIPPED
  }

  public record SkipVoted(String userId, boolean skip, long at) implements Event {
    @Override
    public String by() {
      return userId;
    }
  }

  public record MediaDurationLearned(String itemId, double duration, String by, long at)
      implements Event {}

  public record PlaybackStarted(double position, String by, long at) implements Event {}

  /** Playback starts at {@code startsAt}, a moment every player can be ready for. */
  public record PlaybackScheduled(double position, long startsAt, String by, long at)
      implements Event {}

  public record PlaybackPaused(double position, String by, long at) implements Event {}

  public record PlaybackSeeked(double position, String by, long at) implements Event {}

  public record PlaybackRateChanged(double rate, double position, String by, long at)
      implements Event {}

  public record PlaybackEnded(double position, long at) implements Event {}

  public record ChatMessagePosted(ChatMessage message) implements Event {
    @Override
    public long at() {
      return message.at();
    }

    @Override
    public String by() {
      return message.authorId();
    }
  }

  public record ChatReactionToggled(
      long messageId, String emoji, String userId, boolean added, long at) implements Event {
    @Override
    public String by() {
      return userId;
    }
  }

  public record RoomForgotten(long at) implements Event {}

  // ---------------------------------------------------------------------------------------------
  // State, one record per lifecycle stage.

  public sealed interface State extends JsonSerializable {}

  /** No room has been created under this id. */
  public record Uncreated() implements State {}

  /** A temporary room that stayed empty and was forgotten. */
  public record Forgotten(String id, long at) implements State {}

  /**
   * A room that exists. {@code current} is null while nothing plays; {@code queue} holds the
   * upcoming items in the order they were arranged (vote mode orders them on read, see {@link
   * #orderedQueue}); {@code undoQueue} is the queue before its last change. {@code members} are
   * present, in joining order; {@code roles} are roles given explicitly; {@code admitted} came in
   * through an invite. {@code chat} keeps the latest messages. {@code emptySince} is when the last
   * member left.
   */
  public record Open(
      String id,
      String ownerId,
      long createdAt,
      RoomSettings settings,
      QueueItem current,
      PlaybackClock clock,
      List<QueueItem> queue,
      List<QueueItem> undoQueue,
      long nextItemNumber,
      List<String> skipVotes,
      List<Member> members,
      Map<String, Role> roles,
      List<String> admitted,
      List<Ban> bans,
      List<ChatMessage> chat,
      long nextMessageId,
      Long emptySince)
      implements State {

    public Open {
      queue = List.copyOf(queue);
      undoQueue = undoQueue == null ? null : List.copyOf(undoQueue);
      skipVotes = List.copyOf(skipVotes);
      members = List.copyOf(members);
      roles = Map.copyOf(roles);
      admitted = List.copyOf(admitted);
      bans = List.copyOf(bans);
      chat = List.copyOf(chat);
    }

    static Open created(RoomCreated e) {
      return new Open(
          e.roomId(), e.ownerId(), e.at(), e.settings(), null, PlaybackClock.stoppedAt(e.at()),
          List.of(), null, 1, List.of(), List.of(), Map.of(e.ownerId(), Role.OWNER), List.of(),
          List.of(), List.of(), 1, e.at());
    }

    public double duration() {
      return current == null ? PlaybackClock.UNKNOWN_DURATION : current.durationOrUnbounded();
    }

    public Optional<Member> member(String userId) {
      return members.stream().filter(m -> m.id().equals(userId)).findFirst();
    }

    /** A member's role: given explicitly, or by kind (accounts are members, guests guests). */
    public Role roleOf(String userId, boolean guest) {
      if (userId == null) {
        return Role.GUEST;
      }
      if (userId.equals(ownerId)) {
        return Role.OWNER;
      }
      Role given = roles.get(userId);
      if (given != null) {
        return given;
      }
      return guest ? Role.GUEST : Role.MEMBER;
    }

    public Role roleOf(Member member) {
      return roleOf(member.id(), member.guest());
    }

    public boolean may(Member member, Permission permission) {
      return roleOf(member).atLeast(settings.required(permission));
    }

    public boolean isBanned(String userId) {
      return bans.stream().anyMatch(b -> b.userId().equals(userId));
    }

    /** Whether someone may see or enter this room without its invite. */
    public boolean admits(String userId) {
      return settings.visibility() != Visibility.PRIVATE
          || (userId != null
              && (userId.equals(ownerId) || roles.containsKey(userId) || admitted.contains(userId)));
    }

    /** Upcoming items in the order they will play. */
    public List<QueueItem> orderedQueue() {
      if (settings.queueMode() != QueueMode.VOTE) {
        return queue;
      }
      // Most votes first; equal votes keep their place in the queue (List.sort is stable).
      List<QueueItem> ordered = new ArrayList<>(queue);
      ordered.sort(Comparator.comparingInt((QueueItem i) -> i.votes().size()).reversed());
      return List.copyOf(ordered);
    }

    public Optional<QueueItem> queued(String itemId) {
      return queue.stream().filter(i -> i.id().equals(itemId)).findFirst();
    }

    Open with(RoomSettings s) {
      return new Open(id, ownerId, createdAt, s, current, clock, queue, undoQueue, nextItemNumber,
          skipVotes, members, roles, admitted, bans, chat, nextMessageId, emptySince);
    }

    Open withClock(PlaybackClock c) {
      return new Open(id, ownerId, createdAt, settings, current, c, queue, undoQueue, nextItemNumber,
          skipVotes, members, roles, admitted, bans, chat, nextMessageId, emptySince);
    }

    Open withCurrent(QueueItem item, PlaybackClock c, List<QueueItem> q) {
      return new Open(id, ownerId, createdAt, settings, item, c, q, undoQueue, nextItemNumber,
          List.of(), members, roles, admitted, bans, chat, nextMessageId, emptySince);
    }

    Open withQueue(List<QueueItem> q, List<QueueItem> undo, long nextNumber) {
      return new Open(id, ownerId, createdAt, settings, current, clock, q, undo, nextNumber,
          skipVotes, members, roles, admitted, bans, chat, nextMessageId, emptySince);
    }

    Open withSkipVotes(List<String> votes) {
      return new Open(id, ownerId, createdAt, settings, current, clock, queue, undoQueue,
          nextItemNumber, votes, members, roles, admitted, bans, chat, nextMessageId, emptySince);
    }

    Open withMembers(List<Member> m, List<String> a, long at) {
      // Leaving members take their skip votes with them.
      List<String> votes = skipVotes.stream().filter(v -> m.stream().anyMatch(x -> x.id().equals(v))).toList();
      Long empty = m.isEmpty() ? (emptySince != null && members.isEmpty() ? emptySince : Long.valueOf(at)) : null;
      return new Open(id, ownerId, createdAt, settings, current, clock, queue, undoQueue,
          nextItemNumber, votes, m, roles, a, bans, chat, nextMessageId, empty);
    }

    Open withRoles(Map<String, Role> r) {
      return new Open(id, ownerId, createdAt, settings, current, clock, queue, undoQueue,
          nextItemNumber, skipVotes, members, r, admitted, bans, chat, nextMessageId, emptySince);
    }

    Open withBans(List<Ban> b) {
      return new Open(id, ownerId, createdAt, settings, current, clock, queue, undoQueue,
          nextItemNumber, skipVotes, members, roles, admitted, b, chat, nextMessageId, emptySince);
    }

    Open withChat(List<ChatMessage> c, long nextId) {
      return new Open(id, ownerId, createdAt, settings, current, clock, queue, undoQueue,
          nextItemNumber, skipVotes, members, roles, admitted, bans, c, nextId, emptySince);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The event handler, as a pure function: the entity applies it, and history replay folds it.

  public static State apply(State state, Event event) {
    if (state instanceof Uncreated) {
      return event instanceof RoomCreated created ? Open.created(created) : state;
    }
    if (state instanceof Open open) {
      return applyOpen(open, event);
    }
    return state;
  }

  private static State applyOpen(Open s, Event event) {
    if (event instanceof MemberJoined e) {
      List<Member> members = new ArrayList<>(s.members());
      members.removeIf(m -> m.id().equals(e.member().id()));
      members.add(e.member());
      List<String> admitted = new ArrayList<>(s.admitted());
      if (e.admitted() && !admitted.contains(e.member().id())) {
        admitted.add(e.member().id());
      }
      return s.withMembers(members, admitted, e.at());
    } else if (event instanceof MemberRenamed e) {
      return s.withMembers(
          s.members().stream().map(m -> m.id().equals(e.userId()) ? m.withName(e.name()) : m).toList(),
          s.admitted(), e.at());
    } else if (event instanceof MemberLeft e) {
      return s.withMembers(without(s.members(), e.userId()), s.admitted(), e.at());
    } else if (event instanceof MemberKicked e) {
      return s.withMembers(without(s.members(), e.userId()), s.admitted(), e.at());
    } else if (event instanceof MemberBanned e) {
      List<Ban> bans = new ArrayList<>(s.bans());
      bans.add(e.ban());
      List<String> admitted = s.admitted().stream().filter(id -> !id.equals(e.ban().userId())).toList();
      Map<String, Role> roles = new HashMap<>(s.roles());
      roles.remove(e.ban().userId());
      return s.withBans(bans).withRoles(roles).withMembers(without(s.members(), e.ban().userId()), admitted, e.at());
    } else if (event instanceof MemberUnbanned e) {
      return s.withBans(s.bans().stream().filter(b -> !b.userId().equals(e.userId())).toList());
    } else if (event instanceof RoleChanged e) {
      Map<String, Role> roles = new HashMap<>(s.roles());
      roles.put(e.userId(), e.role());
      return s.withRoles(roles);
    } else if (event instanceof SettingsChanged e) {
      return s.with(e.settings());
    } else if (event instanceof InviteRotated e) {
      return s.with(s.settings().withInviteToken(e.inviteToken()));
    } else if (event instanceof QueueItemAdded e) {
      List<QueueItem> queue = new ArrayList<>(s.queue());
      queue.add(e.item());
      return s.withQueue(queue, s.queue(), s.nextItemNumber() + 1);
    } else if (event instanceof QueueItemRemoved e) {
      return s.withQueue(s.queue().stream().filter(i -> !i.id().equals(e.itemId())).toList(), s.queue(), s.nextItemNumber());
    } else if (event instanceof QueueItemMoved e) {
      List<QueueItem> queue = new ArrayList<>(s.queue());
      QueueItem item = s.queued(e.itemId()).orElseThrow();
      queue.remove(item);
      queue.add(Math.min(e.toIndex(), queue.size()), item);
      return s.withQueue(queue, s.queue(), s.nextItemNumber());
    } else if (event instanceof QueueCleared e) {
      return s.withQueue(List.of(), s.queue(), s.nextItemNumber());
    } else if (event instanceof QueueItemVoted e) {
      return s.withQueue(
          s.queue().stream().map(i -> i.id().equals(e.itemId()) ? i.withVote(e.userId(), e.up()) : i).toList(),
          s.undoQueue(), s.nextItemNumber());
    } else if (event instanceof QueueRestored e) {
      return s.withQueue(e.queue(), null, s.nextItemNumber());
    } else if (event instanceof NowPlaying e) {
      List<QueueItem> queue = new ArrayList<>(s.queue());
      QueueItem previous = s.current();
      if (e.requeuePrevious() && previous != null && (e.item() == null || !previous.id().equals(e.item().id()))) {
        queue.add(previous.withoutVotes());
      }
      QueueItem item = e.item() == null ? null : e.item().withoutVotes();
      if (item != null) {
        queue.removeIf(i -> i.id().equals(item.id()));
      }
      PlaybackClock clock = new PlaybackClock(e.playing() && item != null, 0.0, e.at(), s.clock().rate());
      return s.withCurrent(item, clock, queue);
    } else if (event instanceof SkipVoted e) {
      List<String> votes = new ArrayList<>(s.skipVotes());
      votes.remove(e.userId());
      if (e.skip()) {
        votes.add(e.userId());
      }
      return s.withSkipVotes(votes);
    } else if (event instanceof MediaDurationLearned e) {
      if (s.current() == null || !s.current().id().equals(e.itemId())) {
        return s;
      }
      return s.withCurrent(s.current().withDuration(e.duration()), s.clock(), s.queue()).withSkipVotes(s.skipVotes());
    } else if (event instanceof PlaybackStarted e) {
      return s.withClock(new PlaybackClock(true, e.position(), e.at(), s.clock().rate()));
    } else if (event instanceof PlaybackScheduled e) {
      return s.withClock(new PlaybackClock(true, e.position(), e.startsAt(), s.clock().rate()));
    } else if (event instanceof PlaybackPaused e) {
      return s.withClock(new PlaybackClock(false, e.position(), e.at(), s.clock().rate()));
    } else if (event instanceof PlaybackSeeked e) {
      return s.withClock(new PlaybackClock(s.clock().playing(), e.position(), e.at(), s.clock().rate()));
    } else if (event instanceof PlaybackRateChanged e) {
      return s.withClock(new PlaybackClock(s.clock().playing(), e.position(), e.at(), e.rate()));
    } else if (event instanceof PlaybackEnded e) {
      return s.withClock(new PlaybackClock(false, e.position(), e.at(), s.clock().rate()));
    } else if (event instanceof ChatMessagePosted e) {
      List<ChatMessage> chat = new ArrayList<>(s.chat());
      chat.add(e.message());
      if (chat.size() > CHAT_KEPT_IN_STATE) {
        chat = chat.subList(chat.size() - CHAT_KEPT_IN_STATE, chat.size());
      }
      return s.withChat(chat, Math.max(s.nextMessageId(), e.message().id() + 1));
    } else if (event instanceof ChatReactionToggled e) {
      return s.withChat(
          s.chat().stream()
              .map(m -> m.id() == e.messageId() ? m.withReaction(e.emoji(), e.userId(), e.added()) : m)
              .toList(),
          s.nextMessageId());
    } else if (event instanceof RoomForgotten e) {
      return new Forgotten(s.id(), e.at());
    }
    return s;
  }

  private static List<Member> without(List<Member> members, String userId) {
    return members.stream().filter(m -> !m.id().equals(userId)).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Ids and tokens

  private static final String ID_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9_-]{10,32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new room id: 12 characters of a 64-letter alphabet, 72 random bits. */
  public static String newId() {
    return randomToken(12);
  }

  public static String randomToken(int length) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  public static boolean isWellFormedId(String id) {
    return id != null && ID_PATTERN.matcher(id).matches();
  }

  // ---------------------------------------------------------------------------------------------
  // Wiring

  public static void init(ActorSystem<?> system, RoomConfig config, InstantSource clock) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    entityContext ->
                        create(
                            entityContext.getEntityId(),
                            config,
                            clock,
                            Optional.of(entityContext.getShard())))
                // Sharding's idle passivation would stop a room whose members are quietly
                // watching a long film and lose their subscriptions; a room passivates itself
                // only when nobody is connected.
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  /**
   * @param shard the shard to ask for passivation; empty outside sharding (tests), where an idle
   *     room simply stays
   */
  public static Behavior<Command> create(
      String roomId,
      RoomConfig config,
      InstantSource clock,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.setup(context -> new Room(roomId, config, clock, shard, timers, context)));
  }

  private final String roomId;
  private final RoomConfig config;
  private final InstantSource clock;
  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
  private final TimerScheduler<Command> timers;
  private final ActorContext<Command> context;

  // Runtime only, rebuilt as clients connect and report.
  private final Map<String, Set<ActorRef<Update>>> sessions = new LinkedHashMap<>();
  private final Map<String, MemberStatus> presence = new HashMap<>();
  private final Map<String, Deque<Long>> chatTimes = new HashMap<>();
  /** The room paused itself for members who are buffering and resumes when all are ready. */
  private boolean pausedForWaiting;

  private Room(
      String roomId,
      RoomConfig config,
      InstantSource clock,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard,
      TimerScheduler<Command> timers,
      ActorContext<Command> context) {
    super(
        PersistenceId.of(ENTITY_KEY.name(), roomId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.roomId = roomId;
    this.config = config;
    this.clock = clock;
    this.shard = shard;
    this.timers = timers;
    this.context = context;
  }

  @Override
  public State emptyState() {
    return new Uncreated();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(config.snapshotEvery(), config.keepSnapshots());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(roomId));
  }

  public static String tagFor(String roomId) {
    return tag(Math.floorMod(roomId.hashCode(), TAG_COUNT));
  }

  /** The tag of the {@code index}-th slice of all rooms' events, 0 to TAG_COUNT - 1. */
  public static String tag(int index) {
    return "room-" + index;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state instanceof Open open) {
                scheduleEndCheck(open);
                if (!open.members().isEmpty()) {
                  timers.startSingleTimer(new SweepAbsentMembers(), config.absentMemberGrace());
                }
                scheduleForget(open);
              }
              scheduleIdleCheck();
            })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Room::apply);
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilderByState<Command, Event, Uncreated, State> uncreated =
        newCommandHandlerWithReplyBuilder().forStateType(Uncreated.class);
    uncreated.onCommand(Create.class, this::onCreate);
    refuseAll(uncreated);

    CommandHandlerWithReplyBuilderByState<Command, Event, Forgotten, State> forgotten =
        newCommandHandlerWithReplyBuilder().forStateType(Forgotten.class);
    forgotten.onCommand(
        Create.class,
        (state, cmd) -> Effect().reply(cmd.replyTo(), rejection(Rejection.ALREADY_EXISTS, "This room id was used before.")));
    refuseAll(forgotten);

    CommandHandlerWithReplyBuilderByState<Command, Event, Open, State> open =
        newCommandHandlerWithReplyBuilder().forStateType(Open.class);
    open.onCommand(
            Create.class,
            (state, cmd) ->
                Effect().reply(cmd.replyTo(), rejection(Rejection.ALREADY_EXISTS, "This room already exists.")))
        .onCommand(GetState.class, this::onGetState)
        .onCommand(Join.class, this::onJoin)
        .onCommand(Leave.class, (state, cmd) -> onSessionGone(cmd.userId(), cmd.session()))
        .onCommand(SessionEnded.class, (state, cmd) -> onSessionGone(cmd.userId(), cmd.session()))
        .onCommand(LeaveGraceOver.class, this::onLeaveGraceOver)
        .onCommand(SweepAbsentMembers.class, this::onSweepAbsentMembers)
        .onCommand(Rename.class, this::onRename)
        .onCommand(ReportStatus.class, this::onReportStatus)
        .onCommand(SetTyping.class, this::onSetTyping)
        .onCommand(TypingExpired.class, (state, cmd) -> typing(cmd.userId(), false))
        .onCommand(CheckBuffering.class, this::onCheckBuffering)
        .onCommand(CheckResume.class, (state, cmd) -> resumeIfAllReady(state))
        .onCommand(Play.class, this::onPlay)
        .onCommand(Pause.class, this::onPause)
        .onCommand(Seek.class, this::onSeek)
        .onCommand(SetRate.class, this::onSetRate)
        .onCommand(ReportDuration.class, this::onReportDuration)
        .onCommand(CheckEnd.class, this::onCheckEnd)
        .onCommand(AddToQueue.class, this::onAddToQueue)
        .onCommand(SetMedia.class, this::onSetMedia)
        .onCommand(RemoveFromQueue.class, this::onRemoveFromQueue)
        .onCommand(MoveInQueue.class, this::onMoveInQueue)
        .onCommand(PlayNow.class, this::onPlayNow)
        .onCommand(ClearQueue.class, this::onClearQueue)
        .onCommand(Skip.class, this::onSkip)
        .onCommand(VoteForItem.class, this::onVoteForItem)
        .onCommand(VoteToSkip.class, this::onVoteToSkip)
        .onCommand(UndoQueueChange.class, this::onUndo)
        .onCommand(PostChat.class, this::onPostChat)
        .onCommand(React.class, this::onReact)
        .onCommand(ChangeSettings.class, this::onChangeSettings)
        .onCommand(RotateInvite.class, this::onRotateInvite)
        .onCommand(SetRole.class, this::onSetRole)
        .onCommand(KickMember.class, this::onKick)
        .onCommand(BanMember.class, this::onBan)
        .onCommand(UnbanMember.class, this::onUnban)
        .onCommand(CheckIdle.class, (state, cmd) -> onCheckIdle())
        .onCommand(ForgetIfExpired.class, (state, cmd) -> onForgetIfExpired(state));

    return uncreated.orElse(forgotten).orElse(open).build();
  }

  /** A room that does not exist (any more) answers every request with not_found. */
  private <S extends State> void refuseAll(CommandHandlerWithReplyBuilderByState<Command, Event, S, State> builder) {
    builder
        .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(Join.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onCommand(CheckIdle.class, (state, cmd) -> onCheckIdle())
        .onCommand(Action.class, (state, cmd) -> Effect().reply(cmd.replyTo(), notFound()))
        .onAnyCommand((state, cmd) -> Effect().noReply());
  }

  private ReplyEffect<Event, State> onCreate(Uncreated state, Create cmd) {
    String title = cmd.title() == null ? "" : cmd.title().strip();
    if (title.codePointCount(0, title.length()) > MAX_TITLE_LENGTH) {
      return Effect().reply(cmd.replyTo(), invalid("A room title has at most " + MAX_TITLE_LENGTH + " characters."));
    }
    if (cmd.ownerId() == null || cmd.ownerId().isBlank()) {
      return Effect().reply(cmd.replyTo(), invalid("A room needs an owner."));
    }
    RoomSettings settings = RoomSettings.defaults(title, randomToken(16));
    settings =
        new RoomSettings(
            settings.title(), "", cmd.visibility() == null ? Visibility.UNLISTED : cmd.visibility(),
            settings.inviteToken(), cmd.temporary(), settings.playbackMode(), settings.queueMode(),
            settings.voteSkipRatio(), settings.permissions());
    return Effect()
        .persist(new RoomCreated(roomId, cmd.ownerId(), settings, clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onGetState(Open state, GetState cmd) {
    if (isExpired(state)) {
      return forget(cmd.replyTo());
    }
    if (!state.admits(cmd.viewerId())
        && !(cmd.invite() != null && cmd.invite().equals(state.settings().inviteToken()))) {
      return Effect().reply(cmd.replyTo(), rejection(Rejection.FORBIDDEN, "This room is private; you need its invite link."));
    }
    Role role =
        state.member(cmd.viewerId()).map(state::roleOf).orElseGet(() -> state.roleOf(cmd.viewerId(), true));
    return Effect().reply(cmd.replyTo(), success(new Snapshot(state, Map.copyOf(presence), role)));
  }

  // --- members ---------------------------------------------------------------------------------

  private ReplyEffect<Event, State> onJoin(Open state, Join cmd) {
    if (isExpired(state)) {
      return forget(cmd.replyTo());
    }
    Optional<String> badName = checkName(cmd.name());
    if (badName.isPresent()) {
      return Effect().reply(cmd.replyTo(), invalid(badName.get()));
    }
    if (state.isBanned(cmd.userId())) {
      String reason = state.bans().stream().filter(b -> b.userId().equals(cmd.userId())).findFirst().map(Ban::reason).orElse("");
      return Effect()
          .reply(cmd.replyTo(), rejection(Rejection.BANNED, "You are banned from this room" + (reason.isBlank() ? "." : ": " + reason)));
    }
    boolean withInvite = cmd.invite() != null && cmd.invite().equals(state.settings().inviteToken());
    if (!state.admits(cmd.userId()) && !withInvite) {
      return Effect()
          .reply(cmd.replyTo(), rejection(Rejection.FORBIDDEN, "This room is private; you need its invite link."));
    }
    Optional<Member> existing = state.member(cmd.userId());
    if (existing.isPresent()) {
      // Another connection of someone already here: no event, the member just gets a session.
      attach(cmd.userId(), cmd.session());
      Member you = existing.get();
      return Effect().reply(cmd.replyTo(), success(joined(state, you)));
    }
    Member member = new Member(cmd.userId(), cmd.name().strip(), clock.millis(), cmd.guest());
    boolean admitted = state.settings().visibility() == Visibility.PRIVATE && withInvite;
    return Effect()
        .persist(new MemberJoined(member, admitted))
        .thenRun(
            s -> {
              broadcast(new MembershipUpdate(Membership.JOINED, member, open(s).roleOf(member)));
              attach(member.id(), cmd.session());
              timers.cancel(ForgetIfExpired.class);
            })
        .thenReply(cmd.replyTo(), s -> success(joined(open(s), member)));
  }

  private Joined joined(Open state, Member you) {
    return new Joined(you, state.roleOf(you), state, Map.copyOf(presence), context.getSelf());
  }

  private ReplyEffect<Event, State> onSessionGone(String userId, ActorRef<Update> session) {
    Set<ActorRef<Update>> own = sessions.get(userId);
    if (own == null || !own.remove(session)) {
      return Effect().noReply();
    }
    context.unwatch(session);
    if (own.isEmpty()) {
      sessions.remove(userId);
      if (pausedForWaiting) {
        context.getSelf().tell(new CheckResume());
      }
      // Gone for good only if they do not come back within the grace period.
      timers.startSingleTimer(graceKey(userId), new LeaveGraceOver(userId), config.leaveGrace());
      scheduleIdleCheck();
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onLeaveGraceOver(Open state, LeaveGraceOver cmd) {
    if (sessions.containsKey(cmd.userId()) || state.member(cmd.userId()).isEmpty()) {
      return Effect().noReply();
    }
    return departures(state, List.of(state.member(cmd.userId()).get()));
  }

  private ReplyEffect<Event, State> onSweepAbsentMembers(Open state, SweepAbsentMembers cmd) {
    List<Member> absent = state.members().stream().filter(m -> !sessions.containsKey(m.id())).toList();
    if (absent.isEmpty()) {
      return Effect().noReply();
    }
    return departures(state, absent);
  }

  private ReplyEffect<Event, State> departures(Open state, List<Member> gone) {
    long now = clock.millis();
    List<Event> events = new ArrayList<>();
    gone.forEach(m -> events.add(new MemberLeft(m.id(), now)));
    gone.forEach(m -> presence.remove(m.id()));
    return Effect()
        .persist(events)
        .thenRun(
            s -> {
              gone.forEach(m -> broadcast(new MembershipUpdate(Membership.LEFT, m, state.roleOf(m))));
              afterMembershipChange(open(s));
            })
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onRename(Open state, Rename cmd) {
    Optional<Member> member = state.member(cmd.userId());
    if (member.isEmpty()) {
      return Effect().reply(cmd.replyTo(), notJoined());
    }
    Optional<String> badName = checkName(cmd.name());
    if (badName.isPresent()) {
      return Effect().reply(cmd.replyTo(), invalid(badName.get()));
    }
    String name = cmd.name().strip();
    if (member.get().name().equals(name)) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(new MemberRenamed(cmd.userId(), name, clock.millis()))
        .thenRun(
            s -> {
              Member renamed = open(s).member(cmd.userId()).orElseThrow();
              broadcast(new MembershipUpdate(Membership.RENAMED, renamed, open(s).roleOf(renamed)));
            })
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  // --- presence --------------------------------------------------------------------------------

  private ReplyEffect<Event, State> onReportStatus(Open state, ReportStatus cmd) {
    if (state.member(cmd.userId()).isEmpty() || cmd.state() == null) {
      return Effect().noReply();
    }
    double rtt = Double.isFinite(cmd.rttMs()) ? Math.max(0, Math.min(cmd.rttMs(), 10_000)) : 0;
    MemberStatus before = presence.getOrDefault(cmd.userId(), MemberStatus.UNKNOWN);
    MemberStatus after = before.withPlayer(cmd.state(), rtt);
    presence.put(cmd.userId(), after);
    if (before.player() != after.player()) {
      broadcast(new PresenceUpdate(cmd.userId(), after));
    }
    if (state.settings().playbackMode() != PlaybackMode.WAIT_FOR_EVERYONE) {
      return Effect().noReply();
    }
    if (cmd.state() == PlayerState.BUFFERING) {
      if (state.clock().playing() && !timers.isTimerActive(bufferingKey(cmd.userId()))) {
        timers.startSingleTimer(bufferingKey(cmd.userId()), new CheckBuffering(cmd.userId()), config.bufferingThreshold());
      }
      return Effect().noReply();
    }
    timers.cancel(bufferingKey(cmd.userId()));
    return resumeIfAllReady(state);
  }

  private ReplyEffect<Event, State> onCheckBuffering(Open state, CheckBuffering cmd) {
    MemberStatus status = presence.get(cmd.userId());
    boolean stillBuffering = status != null && status.player() == PlayerState.BUFFERING && sessions.containsKey(cmd.userId());
    if (!stillBuffering
        || !state.clock().playing()
        || state.settings().playbackMode() != PlaybackMode.WAIT_FOR_EVERYONE) {
      return Effect().noReply();
    }
    long now = clock.millis();
    pausedForWaiting = true;
    List<String> waiting = notReady();
    return Effect()
        .persist(new PlaybackPaused(state.clock().positionAt(now, state.duration()), null, now))
        .thenRun(s -> broadcast(new PlaybackUpdate(open(s).clock(), null, waiting)))
        .thenNoReply();
  }

  /** After a pause for buffering, everyone is ready again: start together a moment from now. */
  private ReplyEffect<Event, State> resumeIfAllReady(Open state) {
    if (!pausedForWaiting || state.current() == null || !notReady().isEmpty()) {
      return Effect().noReply();
    }
    pausedForWaiting = false;
    long now = clock.millis();
    PlaybackClock next = state.clock().playFrom(now + startDelay(), now, state.duration());
    return Effect()
        .persist(new PlaybackScheduled(next.position(), next.anchor(), null, now))
        .thenRun(
            s -> {
              broadcast(new PlaybackUpdate(open(s).clock(), null, List.of()));
              scheduleEndCheck(open(s));
            })
        .thenNoReply();
  }

  /** max(2 x the highest round trip among present members, 500 ms). */
  private long startDelay() {
    double highestRtt =
        sessions.keySet().stream().mapToDouble(id -> presence.getOrDefault(id, MemberStatus.UNKNOWN).rttMs()).max().orElse(0);
    return Math.max(MIN_START_DELAY_MILLIS, Math.round(2 * highestRtt));
  }

  private List<String> notReady() {
    return sessions.keySet().stream()
        .filter(id -> presence.getOrDefault(id, MemberStatus.UNKNOWN).player() == PlayerState.BUFFERING)
        .toList();
  }

  private ReplyEffect<Event, State> onSetTyping(Open state, SetTyping cmd) {
    if (state.member(cmd.userId()).isEmpty()) {
      return Effect().noReply();
    }
    if (cmd.typing()) {
      // Typing indicators fade by themselves if the client stops saying so.
      timers.startSingleTimer(typingKey(cmd.userId()), new TypingExpired(cmd.userId()), Duration.ofSeconds(6));
    } else {
      timers.cancel(typingKey(cmd.userId()));
    }
    return typing(cmd.userId(), cmd.typing());
  }

  private ReplyEffect<Event, State> typing(String userId, boolean typing) {
    MemberStatus before = presence.getOrDefault(userId, MemberStatus.UNKNOWN);
    if (before.typing() != typing) {
      MemberStatus after = before.withTyping(typing);
      presence.put(userId, after);
      broadcast(new PresenceUpdate(userId, after));
    }
    return Effect().noReply();
  }

  // --- playback --------------------------------------------------------------------------------

  private ReplyEffect<Event, State> onPlay(Open state, Play cmd) {
    Optional<StatusReply<Done>> refused = refusePlayback(state, cmd.userId(), Permission.CONTROL_PLAYBACK);
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    long now = clock.millis();
    pausedForWaiting = false;
    if (state.settings().playbackMode() == PlaybackMode.WAIT_FOR_EVERYONE) {
      // Everyone starts on the same instant, a moment from now that all players can make.
      PlaybackClock next = state.clock().playFrom(now + startDelay(), now, state.duration());
      return persistPlayback(new PlaybackScheduled(next.position(), next.anchor(), cmd.userId(), now), cmd.userId(), cmd.replyTo());
    }
    PlaybackClock next = state.clock().play(now, state.duration());
    return persistPlayback(new PlaybackStarted(next.position(), cmd.userId(), now), cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onPause(Open state, Pause cmd) {
    Optional<StatusReply<Done>> refused = refusePlayback(state, cmd.userId(), Permission.CONTROL_PLAYBACK);
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    long now = clock.millis();
    pausedForWaiting = false;
    PlaybackClock next = state.clock().pause(now, state.duration());
    return persistPlayback(new PlaybackPaused(next.position(), cmd.userId(), now), cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onSeek(Open state, Seek cmd) {
    Optional<StatusReply<Done>> refused = refusePlayback(state, cmd.userId(), Permission.CONTROL_PLAYBACK);
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    if (!Double.isFinite(cmd.position()) || cmd.position() < 0) {
      return Effect().reply(cmd.replyTo(), invalid("position must be a number of seconds >= 0."));
    }
    long now = clock.millis();
    PlaybackClock next = state.clock().seek(cmd.position(), now, state.duration());
    return persistPlayback(new PlaybackSeeked(next.position(), cmd.userId(), now), cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onSetRate(Open state, SetRate cmd) {
    Optional<StatusReply<Done>> refused = refusePlayback(state, cmd.userId(), Permission.CHANGE_RATE);
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    if (!PlaybackClock.isValidRate(cmd.rate())) {
      return Effect().reply(cmd.replyTo(), invalid("rate must be between 0.25 and 4."));
    }
    long now = clock.millis();
    PlaybackClock next = state.clock().withRate(cmd.rate(), now, state.duration());
    return persistPlayback(
        new PlaybackRateChanged(next.rate(), next.position(), cmd.userId(), now), cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> persistPlayback(Event event, String by, ActorRef<StatusReply<Done>> replyTo) {
    return Effect()
        .persist(event)
        .thenRun(
            s -> {
              broadcast(new PlaybackUpdate(open(s).clock(), by, List.of()));
              scheduleEndCheck(open(s));
            })
        .thenReply(replyTo, s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onReportDuration(Open state, ReportDuration cmd) {
    QueueItem current = state.current();
    boolean applies =
        current != null
            && current.duration() == null
            && current.url().equals(cmd.url())
            && state.member(cmd.userId()).isPresent()
            && Double.isFinite(cmd.duration())
            && cmd.duration() > 0
            && cmd.duration() <= MAX_DURATION_SECONDS;
    if (!applies) {
      return Effect().noReply();
    }
    return Effect()
        .persist(new MediaDurationLearned(current.id(), cmd.duration(), cmd.userId(), clock.millis()))
        .thenRun(
            s -> {
              broadcast(new MediaUpdate(open(s).current(), cmd.userId()));
              scheduleEndCheck(open(s));
            })
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onCheckEnd(Open state, CheckEnd cmd) {
    long now = clock.millis();
    PlaybackClock current = state.clock();
    if (state.current() == null || !current.playing() || !current.hasEndedAt(now, state.duration())) {
      scheduleEndCheck(state);
      return Effect().noReply();
    }
    // The end is recorded at the exact moment the clock reached it, not when the timer fired, so
    // the history shows the true end and replays to the same clock.
    long endedAt = Math.min(now, current.endsAt(state.duration()));
    Event next = advance(state, Advance.ENDED, null, endedAt);
    List<Event> events = next == null ? List.of(new PlaybackEnded(state.duration(), endedAt)) : List.of(next);
    return persistAdvance(events, null).thenNoReply();
  }

  /**
   * What playing on means, by queue mode: the event that makes the next item current, or null when
   * nothing follows (the room then stays where it is).
   */
  private static NowPlaying advance(Open state, Advance reason, String by, long at) {
    QueueMode mode = state.settings().queueMode();
    QueueItem current = state.current();
    if (reason == Advance.ENDED && mode == QueueMode.REPEAT_ONE && current != null) {
      return new NowPlaying(current, true, false, Advance.REPEATED, by, at);
    }
    List<QueueItem> upcoming = state.orderedQueue();
    if (upcoming.isEmpty()) {
      if (mode == QueueMode.LOOP && current != null && reason == Advance.ENDED) {
        return new NowPlaying(current, true, false, Advance.REPEATED, by, at);
      }
      return reason == Advance.ENDED ? null : new NowPlaying(null, false, false, reason, by, at);
    }
    boolean keepPlaying = reason == Advance.ENDED || state.clock().playing();
    return new NowPlaying(upcoming.get(0), keepPlaying, mode == QueueMode.LOOP, reason, by, at);
  }

  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<Event, State> persistAdvance(List<Event> events, String by) {
    return Effect()
        .persist(events)
        .thenRun(
            s -> {
              Open o = open(s);
              if (events.stream().anyMatch(e -> e instanceof NowPlaying)) {
                broadcast(new MediaUpdate(o.current(), by));
                broadcast(new QueueUpdate(o.orderedQueue(), o.undoQueue() != null, by));
                broadcast(new SkipVoteUpdate(List.of(), skipVotesNeeded(o)));
              }
              broadcast(new PlaybackUpdate(o.clock(), by, List.of()));
              scheduleEndCheck(o);
            });
  }

  private Optional<StatusReply<Done>> refusePlayback(Open state, String userId, Permission permission) {
    Optional<StatusReply<Done>> refused = refuse(state, userId, permission);
    if (refused.isPresent()) {
      return refused;
    }
    if (state.current() == null) {
      return Optional.of(rejection(Rejection.NO_MEDIA, "Nothing is playing; add something to the queue first."));
    }
    return Optional.empty();
  }

  // --- queue -----------------------------------------------------------------------------------

  private ReplyEffect<Event, State> onAddToQueue(Open state, AddToQueue cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.QUEUE_ADD);
    if (refused.isEmpty()) {
      refused = checkItem(state, cmd.url(), cmd.title(), cmd.duration(), cmd.thumbnail());
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    long now = clock.millis();
    QueueItem item = newItem(state, cmd.userId(), cmd.url(), cmd.title(), cmd.duration(), cmd.thumbnail(), now);
    List<Event> events = new ArrayList<>();
    events.add(new QueueItemAdded(item, now));
    if (state.current() == null) {
      // Nothing was playing: the new item is up at once, paused at its start.
      events.add(new NowPlaying(item, false, false, Advance.ADDED, cmd.userId(), now));
    }
    return persistQueueChange(events, cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onSetMedia(Open state, SetMedia cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.QUEUE_ADD);
    if (refused.isEmpty()) {
      refused = refuse(state, cmd.userId(), Permission.SKIP);
    }
    if (refused.isEmpty()) {
      refused = checkItem(state, cmd.url(), cmd.title(), cmd.duration(), cmd.thumbnail());
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    long now = clock.millis();
    QueueItem item = newItem(state, cmd.userId(), cmd.url(), cmd.title(), cmd.duration(), cmd.thumbnail(), now);
    return persistQueueChange(
        List.of(new QueueItemAdded(item, now), new NowPlaying(item, false, false, Advance.ADDED, cmd.userId(), now)),
        cmd.userId(), cmd.replyTo());
  }

  private QueueItem newItem(Open state, String userId, String url, String title, Double duration, String thumbnail, long now) {
    String itemTitle = title == null || title.isBlank() ? titleFromUrl(url) : title.strip();
    return new QueueItem("i" + state.nextItemNumber(), url, itemTitle, duration, thumbnail, userId, now, List.of());
  }

  private ReplyEffect<Event, State> onRemoveFromQueue(Open state, RemoveFromQueue cmd) {
    Optional<QueueItem> item = state.queued(cmd.itemId());
    Optional<Member> member = state.member(cmd.userId());
    // Anyone may take back what they added themselves.
    boolean own = item.isPresent() && item.get().addedBy().equals(cmd.userId()) && member.isPresent();
    Optional<StatusReply<Done>> refused = own ? Optional.empty() : refuse(state, cmd.userId(), Permission.QUEUE_REMOVE);
    if (refused.isEmpty() && item.isEmpty()) {
      refused = Optional.of(invalid("That item is not in the queue."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    return persistQueueChange(List.of(new QueueItemRemoved(cmd.itemId(), cmd.userId(), clock.millis())), cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onMoveInQueue(Open state, MoveInQueue cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.QUEUE_REORDER);
    if (refused.isEmpty() && state.queued(cmd.itemId()).isEmpty()) {
      refused = Optional.of(invalid("That item is not in the queue."));
    }
    if (refused.isEmpty() && (cmd.toIndex() < 0 || cmd.toIndex() >= state.queue().size())) {
      refused = Optional.of(invalid("toIndex must be between 0 and " + (state.queue().size() - 1) + "."));
    }
    if (refused.isEmpty() && state.settings().queueMode() == QueueMode.VOTE) {
      refused = Optional.of(invalid("In vote mode the queue is ordered by votes."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    return persistQueueChange(
        List.of(new QueueItemMoved(cmd.itemId(), cmd.toIndex(), cmd.userId(), clock.millis())), cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onPlayNow(Open state, PlayNow cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.QUEUE_REORDER);
    if (refused.isEmpty()) {
      refused = refuse(state, cmd.userId(), Permission.SKIP);
    }
    Optional<QueueItem> item = state.queued(cmd.itemId());
    if (refused.isEmpty() && item.isEmpty()) {
      refused = Optional.of(invalid("That item is not in the queue."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    boolean requeue = state.settings().queueMode() == QueueMode.LOOP;
    return persistQueueChange(
        List.of(new NowPlaying(item.get(), true, requeue, Advance.PLAY_NOW, cmd.userId(), clock.millis())),
        cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onClearQueue(Open state, ClearQueue cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.QUEUE_REMOVE);
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    if (state.queue().isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return persistQueueChange(List.of(new QueueCleared(cmd.userId(), clock.millis())), cmd.userId(), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onSkip(Open state, Skip cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.SKIP);
    if (refused.isEmpty() && state.current() == null) {
      refused = Optional.of(rejection(Rejection.NO_MEDIA, "Nothing is playing."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    NowPlaying next = advance(state, Advance.SKIPPED, cmd.userId(), clock.millis());
    return persistAdvance(List.of(next), cmd.userId()).thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onVoteForItem(Open state, VoteForItem cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.VOTE);
    Optional<QueueItem> item = state.queued(cmd.itemId());
    if (refused.isEmpty() && item.isEmpty()) {
      refused = Optional.of(invalid("That item is not in the queue."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    if (item.get().votes().contains(cmd.userId()) == cmd.up()) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(new QueueItemVoted(cmd.itemId(), cmd.userId(), cmd.up(), clock.millis()))
        .thenRun(s -> broadcast(new QueueUpdate(open(s).orderedQueue(), open(s).undoQueue() != null, cmd.userId())))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onVoteToSkip(Open state, VoteToSkip cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.VOTE);
    if (refused.isEmpty() && state.current() == null) {
      refused = Optional.of(rejection(Rejection.NO_MEDIA, "Nothing is playing."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    if (state.skipVotes().contains(cmd.userId()) == cmd.skip()) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    long now = clock.millis();
    List<Event> events = new ArrayList<>();
    events.add(new SkipVoted(cmd.userId(), cmd.skip(), now));
    Open after = (Open) apply(state, events.get(0));
    if (cmd.skip() && after.skipVotes().size() >= skipVotesNeeded(after)) {
      events.add(advance(after, Advance.VOTE_SKIPPED, null, now));
      return persistAdvance(events, null).thenReply(cmd.replyTo(), s -> StatusReply.ack());
    }
    return Effect()
        .persist(events)
        .thenRun(s -> broadcast(new SkipVoteUpdate(open(s).skipVotes(), skipVotesNeeded(open(s)))))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  /** ceil(ratio x members present), at least one. */
  public static int skipVotesNeeded(Open state) {
    return Math.max(1, (int) Math.ceil(state.settings().voteSkipRatio() * state.members().size() - 1e-9));
  }

  private ReplyEffect<Event, State> onUndo(Open state, UndoQueueChange cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.UNDO);
    if (refused.isEmpty() && state.undoQueue() == null) {
      refused = Optional.of(invalid("There is no queue change to undo."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    return Effect()
        .persist(new QueueRestored(state.undoQueue(), cmd.userId(), clock.millis()))
        .thenRun(s -> broadcast(new QueueUpdate(open(s).orderedQueue(), false, cmd.userId())))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> persistQueueChange(List<Event> events, String by, ActorRef<StatusReply<Done>> replyTo) {
    boolean nowPlaying = events.stream().anyMatch(e -> e instanceof NowPlaying);
    return Effect()
        .persist(events)
        .thenRun(
            s -> {
              Open o = open(s);
              if (nowPlaying) {
                broadcast(new MediaUpdate(o.current(), by));
                broadcast(new PlaybackUpdate(o.clock(), by, List.of()));
                broadcast(new SkipVoteUpdate(List.of(), skipVotesNeeded(o)));
                scheduleEndCheck(o);
              }
              broadcast(new QueueUpdate(o.orderedQueue(), o.undoQueue() != null, by));
            })
        .thenReply(replyTo, s -> StatusReply.ack());
  }

  private Optional<StatusReply<Done>> checkItem(Open state, String url, String title, Double duration, String thumbnail) {
    Optional<String> bad = checkMediaUrl(url);
    if (bad.isEmpty() && title != null && title.strip().codePointCount(0, title.strip().length()) > MAX_MEDIA_TITLE_LENGTH) {
      bad = Optional.of("A media title has at most " + MAX_MEDIA_TITLE_LENGTH + " characters.");
    }
    if (bad.isEmpty() && duration != null && !(Double.isFinite(duration) && duration > 0 && duration <= MAX_DURATION_SECONDS)) {
      bad = Optional.of("duration must be a positive number of seconds, at most 864000 (10 days).");
    }
    if (bad.isEmpty() && thumbnail != null && checkMediaUrl(thumbnail).isPresent()) {
      bad = Optional.of("A thumbnail must be an absolute http or https URL.");
    }
    if (bad.isEmpty() && state.queue().size() >= MAX_QUEUE_LENGTH) {
      bad = Optional.of("The queue is full (" + MAX_QUEUE_LENGTH + " items).");
    }
    return bad.map(Room::invalid);
  }

  // --- chat ------------------------------------------------------------------------------------

  private ReplyEffect<Event, State> onPostChat(Open state, PostChat cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.CHAT);
    String text = cmd.text() == null ? "" : cmd.text().strip();
    if (refused.isEmpty() && text.isEmpty()) {
      refused = Optional.of(invalid("A message must not be empty."));
    }
    if (refused.isEmpty() && text.codePointCount(0, text.length()) > ChatMessage.MAX_LENGTH) {
      refused = Optional.of(invalid("A message has at most " + ChatMessage.MAX_LENGTH + " characters."));
    }
    if (refused.isEmpty() && text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
      refused = Optional.of(invalid("A message must not contain control characters."));
    }
    if (refused.isEmpty() && cmd.videoTime() != null && !(Double.isFinite(cmd.videoTime()) && cmd.videoTime() >= 0)) {
      refused = Optional.of(invalid("videoTime must be a number of seconds >= 0."));
    }
    long now = clock.millis();
    if (refused.isEmpty() && !chatAllowed(cmd.userId(), now)) {
      refused = Optional.of(rejection(Rejection.RATE_LIMITED, "You are sending messages too fast; wait a moment."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    Member author = state.member(cmd.userId()).orElseThrow();
    // A time anchor refers to the item playing now; with nothing playing there is nothing to anchor to.
    Double videoTime = state.current() == null ? null : cmd.videoTime();
    String itemId = videoTime == null ? null : state.current().id();
    ChatMessage message = new ChatMessage(state.nextMessageId(), author.id(), author.name(), text, now, videoTime, itemId, Map.of());
    timers.cancel(typingKey(cmd.userId()));
    return Effect()
        .persist(new ChatMessagePosted(message))
        .thenRun(
            s -> {
              broadcast(new ChatUpdate(message));
              // Sending a message ends typing.
              typing(cmd.userId(), false);
            })
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  /** At most chatMessages per chatWindow for each member, counted here, on the room's node. */
  private boolean chatAllowed(String userId, long now) {
    Deque<Long> times = chatTimes.computeIfAbsent(userId, id -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= now - config.chatWindow().toMillis()) {
      times.pollFirst();
    }
    if (times.size() >= config.chatMessages()) {
      return false;
    }
    times.addLast(now);
    return true;
  }

  private ReplyEffect<Event, State> onReact(Open state, React cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.CHAT);
    Optional<ChatMessage> message = state.chat().stream().filter(m -> m.id() == cmd.messageId()).findFirst();
    String emoji = cmd.emoji() == null ? "" : cmd.emoji().strip();
    if (refused.isEmpty() && message.isEmpty()) {
      refused = Optional.of(invalid("That message is not among the latest ones."));
    }
    if (refused.isEmpty() && (emoji.isEmpty() || emoji.length() > ChatMessage.MAX_EMOJI_LENGTH
        || emoji.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isLetterOrDigit(c)))) {
      refused = Optional.of(invalid("A reaction is one emoji."));
    }
    if (refused.isEmpty()
        && !message.get().reactions().containsKey(emoji)
        && message.get().reactions().size() >= ChatMessage.MAX_DISTINCT_REACTIONS) {
      refused = Optional.of(invalid("This message has as many different reactions as it can take."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    boolean added = !message.get().reactions().getOrDefault(emoji, List.of()).contains(cmd.userId());
    return Effect()
        .persist(new ChatReactionToggled(cmd.messageId(), emoji, cmd.userId(), added, clock.millis()))
        .thenRun(
            s ->
                open(s).chat().stream().filter(m -> m.id() == cmd.messageId()).findFirst()
                    .ifPresent(m -> broadcast(new ChatUpdate(m))))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  // --- settings, roles, moderation ------------------------------------------------------------

  private ReplyEffect<Event, State> onChangeSettings(Open state, ChangeSettings cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.CHANGE_SETTINGS);
    SettingsChange c = cmd.change();
    if (refused.isEmpty() && c == null) {
      refused = Optional.of(invalid("Nothing to change."));
    }
    if (refused.isEmpty() && c.permissions() != null && !c.permissions().isEmpty()) {
      // Only the owner (or whoever may manage roles) redraws the permission matrix.
      refused = refuse(state, cmd.userId(), Permission.MANAGE_ROLES);
      for (Map.Entry<Permission, Role> entry : c.permissions().entrySet()) {
        if (refused.isEmpty() && (entry.getKey() == null || entry.getValue() == null)) {
          refused = Optional.of(invalid("Unknown permission or role."));
        } else if (refused.isEmpty() && !entry.getValue().atLeast(entry.getKey().lowestAllowed())) {
          refused = Optional.of(invalid(entry.getKey() + " cannot be given to " + entry.getValue() + "."));
        }
      }
    }
    if (refused.isEmpty() && c.title() != null && c.title().strip().codePointCount(0, c.title().strip().length()) > MAX_TITLE_LENGTH) {
      refused = Optional.of(invalid("A room title has at most " + MAX_TITLE_LENGTH + " characters."));
    }
    if (refused.isEmpty() && c.description() != null && c.description().length() > RoomSettings.MAX_DESCRIPTION_LENGTH) {
      refused = Optional.of(invalid("A description has at most " + RoomSettings.MAX_DESCRIPTION_LENGTH + " characters."));
    }
    if (refused.isEmpty() && c.voteSkipRatio() != null && !(c.voteSkipRatio() > 0 && c.voteSkipRatio() <= 1)) {
      refused = Optional.of(invalid("voteSkipRatio must be above 0 and at most 1."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    RoomSettings old = state.settings();
    Map<Permission, Role> permissions = new java.util.EnumMap<>(Permission.class);
    permissions.putAll(old.permissions());
    if (c.permissions() != null) {
      permissions.putAll(c.permissions());
    }
    RoomSettings next =
        new RoomSettings(
            c.title() == null ? old.title() : c.title().strip(),
            c.description() == null ? old.description() : c.description().strip(),
            c.visibility() == null ? old.visibility() : c.visibility(),
            old.inviteToken(),
            c.temporary() == null ? old.temporary() : c.temporary(),
            c.playbackMode() == null ? old.playbackMode() : c.playbackMode(),
            c.queueMode() == null ? old.queueMode() : c.queueMode(),
            c.voteSkipRatio() == null ? old.voteSkipRatio() : c.voteSkipRatio(),
            permissions);
    if (next.equals(old)) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(new SettingsChanged(next, cmd.userId(), clock.millis()))
        .thenRun(
            s -> {
              Open o = open(s);
              broadcast(new SettingsUpdate(o.settings().withInviteToken(null), cmd.userId()));
              if (old.queueMode() != next.queueMode()) {
                broadcast(new QueueUpdate(o.orderedQueue(), o.undoQueue() != null, cmd.userId()));
              }
              if (next.playbackMode() != PlaybackMode.WAIT_FOR_EVERYONE) {
                pausedForWaiting = false;
              }
              scheduleForget(o);
            })
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onRotateInvite(Open state, RotateInvite cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.CHANGE_SETTINGS);
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    String token = randomToken(16);
    return Effect()
        .persist(new InviteRotated(token, cmd.userId(), clock.millis()))
        .thenRun(s -> sendWhere(m -> open(s).may(m, Permission.CHANGE_SETTINGS), open(s), new InviteUpdate(token)))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onSetRole(Open state, SetRole cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.MANAGE_ROLES);
    Optional<Member> target = state.member(cmd.targetId());
    if (refused.isEmpty() && target.isEmpty()) {
      refused = Optional.of(invalid("That person is not in the room."));
    }
    if (refused.isEmpty() && (cmd.role() == null || cmd.role() == Role.OWNER)) {
      refused = Optional.of(invalid("role must be guest, member or moderator."));
    }
    if (refused.isEmpty()) {
      refused = outranks(state, cmd.userId(), target.get(), cmd.role());
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    return Effect()
        .persist(new RoleChanged(cmd.targetId(), cmd.role(), cmd.userId(), clock.millis()))
        .thenRun(
            s -> {
              Open o = open(s);
              broadcast(new MembershipUpdate(Membership.ROLE_CHANGED, target.get(), o.roleOf(target.get())));
              if (o.may(target.get(), Permission.CHANGE_SETTINGS)) {
                sendTo(target.get().id(), new InviteUpdate(o.settings().inviteToken()));
              }
            })
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onKick(Open state, KickMember cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.KICK);
    Optional<Member> target = state.member(cmd.targetId());
    if (refused.isEmpty() && target.isEmpty()) {
      refused = Optional.of(invalid("That person is not in the room."));
    }
    if (refused.isEmpty()) {
      refused = outranks(state, cmd.userId(), target.get(), null);
    }
    String reason = reason(cmd.reason());
    if (refused.isEmpty() && reason == null) {
      refused = Optional.of(invalid("A reason has at most " + MAX_REASON_LENGTH + " characters."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    return Effect()
        .persist(new MemberKicked(cmd.targetId(), reason, cmd.userId(), clock.millis()))
        .thenRun(s -> removeMember(target.get(), state.roleOf(target.get()), new Removed(false, reason, cmd.userId()), open(s)))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onBan(Open state, BanMember cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.BAN);
    Optional<Member> target = state.member(cmd.targetId());
    if (refused.isEmpty() && state.isBanned(cmd.targetId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    if (refused.isEmpty() && target.isEmpty()) {
      refused = Optional.of(invalid("That person is not in the room."));
    }
    if (refused.isEmpty()) {
      refused = outranks(state, cmd.userId(), target.get(), null);
    }
    String reason = reason(cmd.reason());
    if (refused.isEmpty() && reason == null) {
      refused = Optional.of(invalid("A reason has at most " + MAX_REASON_LENGTH + " characters."));
    }
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    Ban ban =
        new Ban(cmd.targetId(), target.get().name(), reason, cmd.userId(), clock.millis());
    return Effect()
        .persist(new MemberBanned(ban))
        .thenRun(s -> removeMember(target.get(), state.roleOf(target.get()), new Removed(true, reason, cmd.userId()), open(s)))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onUnban(Open state, UnbanMember cmd) {
    Optional<StatusReply<Done>> refused = refuse(state, cmd.userId(), Permission.BAN);
    if (refused.isPresent()) {
      return Effect().reply(cmd.replyTo(), refused.get());
    }
    if (!state.isBanned(cmd.targetId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(new MemberUnbanned(cmd.targetId(), cmd.userId(), clock.millis()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  /** Tells the member's connections why they are out, and lets them go. */
  private void removeMember(Member target, Role role, Removed why, Open after) {
    Set<ActorRef<Update>> own = sessions.remove(target.id());
    if (own != null) {
      own.forEach(
          session -> {
            session.tell(why);
            context.unwatch(session);
          });
    }
    presence.remove(target.id());
    timers.cancel(graceKey(target.id()));
    broadcast(new MembershipUpdate(Membership.LEFT, target, role));
    afterMembershipChange(after);
  }

  /** Moderators act only on people below them; the owner on everyone but themselves. */
  private Optional<StatusReply<Done>> outranks(Open state, String actorId, Member target, Role newRole) {
    Role actor = state.member(actorId).map(state::roleOf).orElse(Role.GUEST);
    Role current = state.roleOf(target);
    if (target.id().equals(actorId)) {
      return Optional.of(forbidden("You cannot do that to yourself."));
    }
    if (current == Role.OWNER || (actor != Role.OWNER && !actor.atLeast(Role.values()[current.ordinal() + 1]))) {
      return Optional.of(forbidden("You can only do that to people below your role."));
    }
    if (newRole != null && actor != Role.OWNER && newRole.atLeast(actor)) {
      return Optional.of(forbidden("You can only give roles below your own."));
    }
    return Optional.empty();
  }

  private static String reason(String raw) {
    String reason = raw == null ? "" : raw.strip();
    return reason.length() > MAX_REASON_LENGTH ? null : reason;
  }

  // --- lifecycle -------------------------------------------------------------------------------

  private ReplyEffect<Event, State> onCheckIdle() {
    if (sessions.isEmpty()) {
      shard.ifPresent(s -> s.tell(new ClusterSharding.Passivate<>(context.getSelf())));
    }
    return Effect().noReply();
  }

  private boolean isExpired(Open state) {
    return state.settings().temporary()
        && state.members().isEmpty()
        && sessions.isEmpty()
        && state.emptySince() != null
        && clock.millis() - state.emptySince() >= config.temporaryTtl().toMillis();
  }

  /** Forgets an expired temporary room and answers that it is gone. */
  private <T> ReplyEffect<Event, State> forget(ActorRef<StatusReply<T>> replyTo) {
    return Effect()
        .persist(new RoomForgotten(clock.millis()))
        .thenRun(s -> broadcast(new Closed()))
        .thenReply(replyTo, s -> notFound());
  }

  private ReplyEffect<Event, State> onForgetIfExpired(Open state) {
    if (!isExpired(state)) {
      return Effect().noReply();
    }
    return Effect().persist(new RoomForgotten(clock.millis())).thenRun(s -> broadcast(new Closed())).thenNoReply();
  }

  // ---------------------------------------------------------------------------------------------
  // Runtime: sessions and timers

  private void attach(String userId, ActorRef<Update> session) {
    sessions.computeIfAbsent(userId, id -> new LinkedHashSet<>()).add(session);
    context.watchWith(session, new SessionEnded(userId, session));
    timers.cancel(graceKey(userId));
    timers.cancel(CheckIdle.class);
  }

  private void afterMembershipChange(Open state) {
    if (pausedForWaiting) {
      context.getSelf().tell(new CheckResume());
    }
    if (state.members().isEmpty()) {
      scheduleForget(state);
    }
    if (state.current() != null) {
      broadcast(new SkipVoteUpdate(state.skipVotes(), skipVotesNeeded(state)));
    }
  }

  private void broadcast(Update update) {
    sessions.values().forEach(own -> own.forEach(session -> session.tell(update)));
  }

  private void sendTo(String userId, Update update) {
    sessions.getOrDefault(userId, Set.of()).forEach(session -> session.tell(update));
  }

  private void sendWhere(Predicate<Member> who, Open state, Update update) {
    state.members().stream().filter(who).forEach(m -> sendTo(m.id(), update));
  }

  private void scheduleEndCheck(Open state) {
    long endsAt = state.current() == null ? Long.MAX_VALUE : state.clock().endsAt(state.duration());
    if (endsAt == Long.MAX_VALUE) {
      timers.cancel(CheckEnd.class);
      return;
    }
    long delay = Math.max(0, endsAt - clock.millis());
    timers.startSingleTimer(CheckEnd.class, new CheckEnd(), Duration.ofMillis(delay));
  }

  private void scheduleIdleCheck() {
    if (sessions.isEmpty()) {
      timers.startSingleTimer(CheckIdle.class, new CheckIdle(), config.idleTimeout());
    }
  }

  private void scheduleForget(Open state) {
    if (!state.settings().temporary() || !state.members().isEmpty() || state.emptySince() == null) {
      timers.cancel(ForgetIfExpired.class);
      return;
    }
    long due = state.emptySince() + config.temporaryTtl().toMillis() - clock.millis();
    timers.startSingleTimer(ForgetIfExpired.class, new ForgetIfExpired(), Duration.ofMillis(Math.max(0, due)));
  }

  private static String graceKey(String userId) {
    return "grace:" + userId;
  }

  private static String typingKey(String userId) {
    return "typing:" + userId;
  }

  private static String bufferingKey(String userId) {
    return "buffering:" + userId;
  }

  // ---------------------------------------------------------------------------------------------
  // Validation and replies

  /** Refuses unless {@code userId} is present and their role allows {@code permission}. */
  private static Optional<StatusReply<Done>> refuse(Open state, String userId, Permission permission) {
    Optional<Member> member = state.member(userId);
    if (member.isEmpty()) {
      return Optional.of(notJoined());
    }
    if (!state.may(member.get(), permission)) {
      return Optional.of(
          forbidden("Your role (" + state.roleOf(member.get()).name().toLowerCase() + ") may not "
              + permission.name().toLowerCase().replace('_', ' ') + " in this room."));
    }
    return Optional.empty();
  }

  static Optional<String> checkName(String name) {
    if (name == null || name.isBlank()) {
      return Optional.of("A display name must not be empty.");
    }
    String stripped = name.strip();
    if (stripped.codePointCount(0, stripped.length()) > MAX_NAME_LENGTH) {
      return Optional.of("A display name has at most " + MAX_NAME_LENGTH + " characters.");
    }
    if (stripped.codePoints().anyMatch(Character::isISOControl)) {
      return Optional.of("A display name must not contain control characters.");
    }
    return Optional.empty();
  }

  static Optional<String> checkMediaUrl(String url) {
    if (url == null || url.isBlank()) {
      return Optional.of("A media URL is required.");
    }
    if (url.length() > MAX_URL_LENGTH) {
      return Optional.of("A media URL has at most " + MAX_URL_LENGTH + " characters.");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        return Optional.of("A media URL must be an absolute http or https URL.");
      }
    } catch (URISyntaxException e) {
      return Optional.of("This is not a valid URL.");
    }
    return Optional.empty();
  }

  static String titleFromUrl(String url) {
    URI uri = URI.create(url);
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    String title = last.isBlank() ? uri.getHost() : last;
    return title.length() > MAX_MEDIA_TITLE_LENGTH ? title.substring(0, MAX_MEDIA_TITLE_LENGTH) : title;
  }

  /** Side effects run after persisting an event in the open state, so the state is open. */
  private static Open open(State state) {
    return (Open) state;
  }

  private static <T> StatusReply<T> rejection(String code, String message) {
    return StatusReply.error(new Rejection(code, message));
  }

  private static <T> StatusReply<T> invalid(String message) {
    return rejection(Rejection.INVALID, message);
  }

  private static <T> StatusReply<T> forbidden(String message) {
    return rejection(Rejection.FORBIDDEN, message);
  }

  private static <T> StatusReply<T> notFound() {
    return rejection(Rejection.NOT_FOUND, "There is no room with this id.");
  }

  private static <T> StatusReply<T> notJoined() {
    return rejection(Rejection.NOT_JOINED, "Join the room first.");
  }

  private static <T> StatusReply<T> success(T value) {
    return StatusReply.success(value);
  }
}
