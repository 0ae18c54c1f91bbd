package io.watchroom.node.bench;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A watch-together load on one node: rooms of 5 members, each member acting once per second (a
 * seek, persisted before it is broadcast). The round trip of an action is from sending it until
 * its sender receives the room's broadcast. Clients are added in steps; a step passes when the
 * 99th percentile is at most 50 ms and nothing is lost: every action acknowledged, no error, and
 * every acknowledged action found in the PostgreSQL journal.
 *
 * <p>Usage: {@code WatchLoadBenchmark [start=100] [step=100] [max=3000] [seconds=30] [db=postgres]};
 * PostgreSQL from WATCHROOM_TEST_PG_URL (default the local test database), in a fresh schema, or
 * {@code h2} for the embedded database (the journal check then reads the H2 file).
 */
public final class WatchLoadBenchmark {

  private static final int ROOM_SIZE = 5;
  private static final double LIMIT_MS = 50;

  private record Member(BenchSocket socket, String roomId) {}

  public static void main(String[] args) throws Exception {
    int start = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int step = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int max = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    String db = args.length > 4 ? args[4] : "postgres";
    String pgUrl = System.getenv().getOrDefault("WATCHROOM_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String schema = "wr_load_" + Long.toHexString(System.nanoTime());

    HttpClient http = HttpClient.newHttpClient();
    List<Member> members = Collections.synchronizedList(new ArrayList<>());
    Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    Map<Long, BenchSocket> sentBy = new ConcurrentHashMap<>();
    Map<Long, String> roomOf = new ConcurrentHashMap<>();
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    List<Double> roundTrips = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger errors = new AtomicInteger();
    long[] counter = {0};
    int passed = 0;
    double passedP99 = Double.NaN;

    Path work = Files.createTempDirectory("watchroom-load-");
    // With h2 the journal is read through the node's AUTO_SERVER file, as a second process would.
    String journalUrl =
        db.equals("h2") ? "jdbc:h2:file:" + work.resolve("data/db/watchroom") + ";AUTO_SERVER=TRUE" : pgUrl;
    String journalUser = db.equals("h2") ? "sa" : "postgres";
    // H2's journal columns are quoted lower-case names (see the h2 migrations).
    String query =
        db.equals("h2")
            ? "SELECT \"event_payload\" FROM \"event_journal\" WHERE \"event_ser_manifest\" LIKE '%PlaybackSeeked'"
            : "SELECT event_payload FROM " + schema + ".event_journal WHERE event_ser_manifest LIKE '%PlaybackSeeked'";
    Map<String, String> env =
        db.equals("h2")
            ? Map.of("WATCHROOM_DB", "h2", "WATCHROOM_DATA_DIR", work.resolve("data").toString())
            : Map.of("WATCHROOM_DB", "postgres", "WATCHROOM_DB_URL", pgUrl, "WATCHROOM_DB_USER", "postgres", "WATCHROOM_DB_SCHEMA", schema);
    try (BenchServer server = BenchServer.start("watchroom", work, env)) {
      System.out.printf("watchroom node pid %d, %s journal, rooms of %d, 1 action per member per second, %d s per step%n",
          server.pid(), db.equals("h2") ? "H2" : "PostgreSQL (schema " + schema + ")", ROOM_SIZE, seconds);
      System.out.println("clients\tactions\tmedian_ms\tp99_ms\tmax_ms\tunacknowledged\terrors\tmissing_in_journal");
      boolean warmedUp = false;
      for (int target = start; target <= max; ) {
        while (members.size() < target) {
          String owner = server.guest(http, members.size());
          String roomId = server.createRoom(http, owner);
          for (int i = 0; i < ROOM_SIZE; i++) {
            String token = i == 0 ? owner : server.guest(http, members.size());
            BenchSocket socket =
                BenchSocket.join(server.roomUrl(roomId), token, (s, frame) -> {
                  if (BenchSocket.isType(frame, "playback")) {
                    long position = BenchSocket.action(frame);
                    if (sentBy.get(position) == s) {
                      Long sent = sentAt.remove(position);
                      if (sent != null) {
                        roundTrips.add((System.nanoTime() - sent) / 1e6);
                        acknowledged.add(position);
                      }
                    }
                  } else if (BenchSocket.isType(frame, "error")) {
                    errors.incrementAndGet();
                  }
                });
            if (i == 0) {
              socket.send("{\"type\":\"set_media\",\"url\":\"" + server.mediaUrl() + "\"}");
            }
            members.add(new Member(socket, roomId));
          }
        }
        Thread.sleep(2000);
        roundTrips.clear();
        acknowledged.clear();
        errors.set(0);
        int n = members.size();
        long stepStart = System.nanoTime();
        int actions = 0;
        // Every member once per second, spread evenly over the second in 10 ms slices.
        for (int tick = 0; tick < seconds * 100; tick++) {
          long due = stepStart + tick * 10_000_000L;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          int from = (int) ((long) n * (tick % 100) / 100);
          int to = (int) ((long) n * (tick % 100 + 1) / 100);
          for (int i = from; i < to; i++) {
            Member m = members.get(i);
            long position = ++counter[0];
            sentBy.put(position, m.socket());
            roomOf.put(position, m.roomId());
            sentAt.put(position, System.nanoTime());
            m.socket().send(BenchSocket.seek(position));
            actions++;
          }
        }
        Thread.sleep(2000);
        int unacknowledged = sentAt.size();
        sentAt.clear();
        int missing = missingInJournal(journalUrl, journalUser, query, acknowledged);
        double p99 = Stats.percentile(roundTrips, 99);
        System.out.printf("%d\t%d\t%.1f\t%.1f\t%.1f\t%d\t%d\t%d%n", n, actions, Stats.median(roundTrips), p99,
            Stats.percentile(roundTrips, 100), unacknowledged, errors.get(), missing);
        sentBy.clear();
        roomOf.clear();
        if (!warmedUp) {
          // The first round at the first step warms the JIT up and is not judged.
          warmedUp = true;
          System.out.println("(warm-up, not judged)");
          continue;
        }
        if (p99 > LIMIT_MS || unacknowledged > 0 || errors.get() > 0 || missing > 0) {
          break;
        }
        passed = n;
        passedP99 = p99;
        target += step;
      }
      System.out.printf("RESULT watch-together load: %d clients (%d rooms of %d) with p99 %.1f ms and nothing lost%n",
          passed, passed / ROOM_SIZE, ROOM_SIZE, passedP99);
    } finally {
      members.forEach(m -> m.socket().close());
      if (db.equals("postgres")) {
        try (Connection c = DriverManager.getConnection(pgUrl, "postgres", "")) {
          c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
    }
    System.exit(0);
  }

  /** Acknowledged positions that the journal does not hold. */
  private static int missingInJournal(String url, String user, String query, Set<Long> acknowledged) throws Exception {
    Set<Long> persisted = new HashSet<>();
    Pattern position = Pattern.compile("\"position\":([0-9.eE+]+)");
    try (Connection c = DriverManager.getConnection(url, user, "");
        PreparedStatement s = c.prepareStatement(query);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        Matcher m = position.matcher(new String(rs.getBytes(1), StandardCharsets.UTF_8));
        if (m.find()) {
          persisted.add(Math.round(Double.parseDouble(m.group(1)) * 1000));
        }
      }
    }
    int missing = 0;
    for (long p : acknowledged) {
      if (!persisted.contains(p)) {
        missing++;
      }
    }
    return missing;
  }
}
