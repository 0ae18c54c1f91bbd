package io.watchroom.core.directory;

/** A room as the directory lists it; {@code nowPlayingTitle} and {@code nowPlayingUrl} may be null. */
public record DirectoryEntry(
    String roomId,
    String title,
    String description,
    String ownerId,
    String visibility,
    boolean temporary,
    int membersOnline,
    String nowPlayingTitle,
    String nowPlayingUrl,
    long createdAt,
    long lastActivity) {}
