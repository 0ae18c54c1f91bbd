package io.watchroom.http;

import io.watchroom.core.chat.ChatHistory;
import io.watchroom.core.directory.RoomDirectory;
import io.watchroom.core.room.RoomHistory;
import java.util.concurrent.Executor;

/**
 * The read side routes answer from: read models (directory, chat) queried on {@code blocking}
 * threads, and the journal (history).
 */
public record RoomQueries(RoomDirectory directory, ChatHistory chat, RoomHistory history, Executor blocking) {}
