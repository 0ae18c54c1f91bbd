package io.watchroom.core.video;

import io.watchroom.core.JsonSerializable;

/**
 * What the uploader said about a video when it was registered.
 *
 * @param owner the identity of the uploader; only the owner may delete it
 * @param length the size of the file to be uploaded, in bytes
 */
public record VideoInfo(
    String id, String owner, String title, String fileName, long length, long createdAt)
    implements JsonSerializable {}
