package io.watchroom.http.protocol;

import io.watchroom.core.directory.DirectoryEntry;
import java.util.Locale;

/** A room in the directory or in "my rooms". */
public record DirectoryView(
    String id,
    String title,
    String description,
    String visibility,
    boolean temporary,
    int membersOnline,
    NowPlaying nowPlaying,
    long createdAt,
    long lastActivity) {

  public record NowPlaying(String title, String url) {}

  public static DirectoryView of(DirectoryEntry e) {
    return new DirectoryView(
        e.roomId(), e.title(), e.description(), e.visibility().toLowerCase(Locale.ROOT), e.temporary(),
        e.membersOnline(), e.nowPlayingUrl() == null ? null : new NowPlaying(e.nowPlayingTitle(), e.nowPlayingUrl()),
        e.createdAt(), e.lastActivity());
  }
}
