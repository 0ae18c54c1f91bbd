package io.watchroom.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.watchroom.core.room.Room;
import io.watchroom.core.room.RoomHistory;
import io.watchroom.http.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code watchroom history <room id> [--at <seq>]}: prints a room's timeline from the configured
 * database and, with {@code --at}, the room's state right after that event, rebuilt by the
 * entity's own event handler. It reads the journal only, so it is safe beside a running node
 * (the embedded database accepts a second process).
 */
final class HistoryCommand {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private HistoryCommand() {}

  private static final String USAGE = "usage: watchroom history <room id> [--at <event number>]";

  static int run(List<String> args, Config nodeConfig, PrintStream out) throws Exception {
    if (args.isEmpty() || !Room.isWellFormedId(args.get(0))) {
      out.println(USAGE);
      return 2;
    }
    String roomId = args.get(0);
    Long at = null;
    if (args.size() == 3 && args.get(1).equals("--at")) {
      at = eventNumber(args.get(2));
      if (at == null) {
        out.println("The event number must be a whole number from 1, not \"" + args.get(2) + "\".");
        out.println(USAGE);
        return 2;
      }
    } else if (args.size() != 1) {
      out.println(USAGE);
      return 2;
    }
    // A plain local actor system: no cluster, no HTTP, just the journal's query side.
    Config config =
        ConfigFactory.parseMap(Map.of("pekko.actor.provider", "local", "pekko.loglevel", "WARNING"))
            .withFallback(nodeConfig);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "watchroom-history", config);
    try {
      RoomHistory history = new RoomHistory(system, WatchroomNode.READ_JOURNAL);
      ObjectMapper mapper = Json.mapper(system);
      long from = 1;
      int printed = 0;
      while (true) {
        List<RoomHistory.Entry> page =
            history.events(roomId, from, RoomHistory.MAX_PAGE).toCompletableFuture().get(60, TimeUnit.SECONDS);
        for (RoomHistory.Entry entry : page) {
          out.println(line(entry, mapper));
          printed++;
        }
        if (page.size() < RoomHistory.MAX_PAGE) {
          break;
        }
        from = page.get(page.size() - 1).seq() + 1;
      }
      if (printed == 0) {
        out.println("Room " + roomId + " has no events.");
        return 1;
      }
      if (at != null) {
        Optional<RoomHistory.StateAt> state = history.stateAt(roomId, at).toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (state.isEmpty()) {
          out.println("Room " + roomId + " has no event " + at + ".");
          return 1;
        }
        out.println();
        out.println("State after event " + at + " (" + TIME.format(Instant.ofEpochMilli(state.get().at())) + " UTC):");
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(state.get().state()));
      }
      return 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Long eventNumber(String text) {
    try {
      long n = Long.parseLong(text);
      return n >= 1 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String line(RoomHistory.Entry entry, ObjectMapper mapper) {
    Room.Event event = entry.event();
    ObjectNode fields = mapper.valueToTree(event);
    fields.remove("at");
    return String.format(
        "#%-5d %s  %-16s %-22s %s",
        entry.seq(),
        TIME.format(Instant.ofEpochMilli(event.at())),
        event.by() == null ? "(room)" : event.by(),
        event.getClass().getSimpleName(),
        fields);
  }
}
