package io.watchroom.http.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.watchroom.core.room.QueueItem;
import io.watchroom.core.room.Room;
import java.util.List;

/**
 * Every frame the server sends over a room's WebSocket. Each record writes its {@code type} first;
 * docs/protocol.md shows an example of each.
 */
public sealed interface ServerMessage {

  @JsonProperty("type")
  String type();

  @JsonPropertyOrder({"type", "you", "room", "serverTime"})
  record Welcome(MemberView you, RoomView room, long serverTime) implements ServerMessage {
    public String type() {
      return "welcome";
    }
  }

  @JsonPropertyOrder({"type", "t0", "t1"})
  record Time(double t0, double t1) implements ServerMessage {
    public String type() {
      return "time";
    }
  }

  @JsonPropertyOrder({"type", "playing", "position", "anchor", "rate", "by", "waitingFor"})
  record Playback(
      boolean playing, double position, long anchor, double rate, String by, List<String> waitingFor)
      implements ServerMessage {
    public String type() {
      return "playback";
    }
  }

  /** The current item; every field but {@code by} is null when nothing plays. */
  @JsonPropertyOrder({"type", "id", "url", "title", "duration", "thumbnail", "addedBy", "by"})
  record Media(
      String id, String url, String title, Double duration, String thumbnail, String addedBy, String by)
      implements ServerMessage {
    public String type() {
      return "media";
    }

    static Media of(QueueItem item, String by) {
      return item == null
          ? new Media(null, null, null, null, null, null, by)
          : new Media(item.id(), item.url(), item.title(), item.duration(), item.thumbnail(), item.addedBy(), by);
    }
  }

  @JsonPropertyOrder({"type", "items", "canUndo", "by"})
  record Queue(List<ItemView> items, boolean canUndo, String by) implements ServerMessage {
    public String type() {
      return "queue";
    }
  }

  @JsonPropertyOrder({"type", "member"})
  record MemberJoined(MemberView member) implements ServerMessage {
    public String type() {
      return "member_joined";
    }
  }

  @JsonPropertyOrder({"type", "member"})
  record MemberLeft(MemberView member) implements ServerMessage {
    public String type() {
      return "member_left";
    }
  }

  @JsonPropertyOrder({"type", "member"})
  record MemberRenamed(MemberView member) implements ServerMessage {
    public String type() {
      return "member_renamed";
    }
  }

  @JsonPropertyOrder({"type", "member"})
  record MemberRole(MemberView member) implements ServerMessage {
    public String type() {
      return "member_role";
    }
  }

  @JsonPropertyOrder({"type", "member", "status"})
  record Presence(String member, MemberView.StatusView status) implements ServerMessage {
    public String type() {
      return "presence";
    }
  }

  @JsonPropertyOrder({"type", "message"})
  record Chat(ChatView message) implements ServerMessage {
    public String type() {
      return "chat";
    }
  }

  @JsonPropertyOrder({"type", "settings", "by"})
  record Settings(SettingsView settings, String by) implements ServerMessage {
    public String type() {
      return "settings";
    }
  }

  @JsonPropertyOrder({"type", "token"})
  record Invite(String token) implements ServerMessage {
    public String type() {
      return "invite";
    }
  }

  @JsonPropertyOrder({"type", "votes", "needed", "voters"})
  record SkipVotes(int votes, int needed, List<String> voters) implements ServerMessage {
    public String type() {
      return "skip_votes";
    }
  }

  @JsonPropertyOrder({"type", "banned", "reason", "by"})
  record Removed(boolean banned, String reason, String by) implements ServerMessage {
    public String type() {
      return "removed";
    }
  }

  record Closed() implements ServerMessage {
    public String type() {
      return "closed";
    }
  }

  /** Sent before the server closes the socket on purpose (shutdown, handoff): come back at once. */
  @JsonPropertyOrder({"type", "reason"})
  record Reconnect(String reason) implements ServerMessage {
    public String type() {
      return "reconnect";
    }
  }

  @JsonPropertyOrder({"type", "code", "message", "ref"})
  record Error(String code, String message, @JsonInclude(JsonInclude.Include.NON_NULL) String ref)
      implements ServerMessage {
    public String type() {
      return "error";
    }
  }

  /** What a change in the room looks like on the wire. */
  static ServerMessage of(Room.Update update) {
    if (update instanceof Room.PlaybackUpdate p) {
      var c = p.playback();
      return new Playback(c.playing(), c.position(), c.anchor(), c.rate(), p.by(), p.waitingFor());
    } else if (update instanceof Room.MediaUpdate m) {
      return Media.of(m.current(), m.by());
    } else if (update instanceof Room.QueueUpdate q) {
      return new Queue(ItemView.of(q.queue()), q.canUndo(), q.by());
    } else if (update instanceof Room.MembershipUpdate u) {
      MemberView member = MemberView.of(u.member(), u.role(), null);
      return switch (u.change()) {
        case JOINED -> new MemberJoined(member);
        case LEFT -> new MemberLeft(member);
        case RENAMED -> new MemberRenamed(member);
        case ROLE_CHANGED -> new MemberRole(member);
      };
    } else if (update instanceof Room.PresenceUpdate p) {
      return new Presence(p.userId(), MemberView.StatusView.of(p.status()));
    } else if (update instanceof Room.ChatUpdate c) {
      return new Chat(ChatView.of(c.message()));
    } else if (update instanceof Room.SettingsUpdate s) {
      return new Settings(SettingsView.of(s.settings(), false), s.by());
    } else if (update instanceof Room.InviteUpdate i) {
      return new Invite(i.inviteToken());
    } else if (update instanceof Room.SkipVoteUpdate v) {
      return new SkipVotes(v.voters().size(), v.needed(), v.voters());
    } else if (update instanceof Room.Removed r) {
      return new Removed(r.banned(), r.reason(), r.by());
    } else if (update instanceof Room.Closed) {
      return new Closed();
    }
    throw new IllegalArgumentException("No wire form for " + update);
  }
}
