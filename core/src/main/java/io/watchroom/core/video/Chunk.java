package io.watchroom.core.video;

import io.watchroom.core.JsonSerializable;

/**
 * One stored piece of an upload: bytes {@code [offset, offset + length)} of the file, kept in
 * the media store under {@code key}.
 */
public record Chunk(long offset, long length, String key) implements JsonSerializable {}
