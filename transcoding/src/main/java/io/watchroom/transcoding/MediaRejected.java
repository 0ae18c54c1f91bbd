package io.watchroom.transcoding;

/**
 * The upload itself is unusable (not a video, no video stream, over a limit): retrying cannot
 * help, so the video fails at once with this message as its reason.
 */
public final class MediaRejected extends Exception {
  public MediaRejected(String message) {
    super(message, null, false, false);
  }
}
