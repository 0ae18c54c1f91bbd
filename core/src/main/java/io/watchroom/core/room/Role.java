package io.watchroom.core.room;

/** What someone may do in a room, ordered: each role can do everything the one below can. */
public enum Role {
  GUEST,
  MEMBER,
  MODERATOR,
  OWNER;

  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }
}
