package io.watchroom.core.room;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Per-node settings of the Room entity, from {@code watchroom.room}.
 *
 * @param snapshotEvery take a snapshot after this many events
 * @param keepSnapshots how many snapshots to retain
 * @param idleTimeout how long a room with nobody connected stays in memory
 * @param absentMemberGrace after a restart or a move, how long a recovered member has to reconnect
 *     before the room records that they left
 * @param leaveGrace how long a member whose last connection closed has to come back before the
 *     room records that they left, so that reloads and reconnects do not flap
 * @param temporaryTtl how long a temporary room may stay empty before it is forgotten
 * @param bufferingThreshold in wait-for-everyone mode, how long a member may buffer before the room
 *     pauses for them
 * @param chatMessages how many chat messages one member may send per {@code chatWindow}
 */
public record RoomConfig(
    int snapshotEvery,
    int keepSnapshots,
    Duration idleTimeout,
    Duration absentMemberGrace,
    Duration leaveGrace,
    Duration temporaryTtl,
    Duration bufferingThreshold,
    int chatMessages,
    Duration chatWindow) {

  public static RoomConfig fromConfig(Config config) {
    Config room = config.getConfig("watchroom.room");
    return new RoomConfig(
        room.getInt("snapshot-every"),
        room.getInt("keep-snapshots"),
        room.getDuration("idle-timeout"),
        room.getDuration("absent-member-grace"),
        room.getDuration("leave-grace"),
        room.getDuration("temporary-ttl"),
        room.getDuration("buffering-threshold"),
        room.getInt("chat.messages"),
        room.getDuration("chat.window"));
  }
}
