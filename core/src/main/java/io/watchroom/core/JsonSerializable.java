package io.watchroom.core;

/**
 * Marks every message, event, state and reply that may be persisted or cross nodes. It is bound to
 * Pekko's Jackson JSON serializer in {@code reference.conf}; nothing in Watchroom uses Java
 * serialization. JSON rather than CBOR keeps the journal readable when a room's history is replayed
 * for debugging.
 */
public interface JsonSerializable {}
