package io.watchroom.core.room;

import io.watchroom.core.JsonSerializable;

/**
 * Someone in a room. {@code id} is their user id (a guest session's or an account's); {@code
 * guest} tells which, and decides their role when the room has given them none.
 */
public record Member(String id, String name, long joinedAt, boolean guest) implements JsonSerializable {

  public Member withName(String newName) {
    return new Member(id, newName, joinedAt, guest);
  }
}
