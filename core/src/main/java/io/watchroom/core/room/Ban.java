package io.watchroom.core.room;

import io.watchroom.core.JsonSerializable;

/** Someone who may not join a room: an account, or the guest session they used. */
public record Ban(String userId, String name, String reason, String by, long at)
    implements JsonSerializable {}
