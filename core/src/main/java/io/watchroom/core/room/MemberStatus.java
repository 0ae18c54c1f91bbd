package io.watchroom.core.room;

import io.watchroom.core.JsonSerializable;

/**
 * How a member's player is doing, as last reported. Runtime only: never persisted, rebuilt from
 * the players' reports after a restart.
 */
public record MemberStatus(PlayerState player, double rttMs, boolean typing)
    implements JsonSerializable {

  public enum PlayerState {
    READY,
    BUFFERING,
    ERROR
  }

  public static final MemberStatus UNKNOWN = new MemberStatus(PlayerState.READY, 0, false);

  public MemberStatus withPlayer(PlayerState state, double rtt) {
    return new MemberStatus(state, rtt, typing);
  }

  public MemberStatus withTyping(boolean isTyping) {
    return new MemberStatus(player, rttMs, isTyping);
  }
}
