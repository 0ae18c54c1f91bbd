package io.watchroom.transcoding.store;

/** The media type of a stored key, from its extension. */
public final class ContentTypes {
  private ContentTypes() {}

  public static String of(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".m3u8")) return "application/vnd.apple.mpegurl";
    if (name.endsWith(".m4s")) return "video/iso.segment";
    if (name.endsWith(".mp4")) return "video/mp4";
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return "image/jpeg";
    if (name.endsWith(".vtt")) return "text/vtt";
    return "application/octet-stream";
  }
}
