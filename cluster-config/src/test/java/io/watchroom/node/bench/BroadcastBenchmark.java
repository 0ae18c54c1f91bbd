package io.watchroom.node.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broadcast method of the Hashrocket WebSocket shootout, on one room: N clients joined; one
 * client at a time sends a broadcast (here a {@code seek}, which every member receives as {@code
 * playback}), 4 broadcasts in flight at once; the round trip of a broadcast is from its sending
 * until the last of the N clients has received it. Clients are added in steps until the 95th
 * percentile passes 250 ms; the result is the last step under it.
 *
 * <p>Against Watchroom every broadcast is a room action persisted to the journal before it fans
 * out, and the room keeps presence; the minimal Node and Netty servers only fan out.
 *
 * <p>Usage: {@code BroadcastBenchmark server [start=250] [step=250] [max=6000] [samples=100]}
 * with server = watchroom | node | netty.
 */
public final class BroadcastBenchmark {

  private static final int CONCURRENCY = 4;
  private static final double LIMIT_MS = 250;

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int start = args.length > 1 ? Integer.parseInt(args[1]) : 250;
    int step = args.length > 2 ? Integer.parseInt(args[2]) : 250;
    int max = args.length > 3 ? Integer.parseInt(args[3]) : 6000;
    int samples = args.length > 4 ? Integer.parseInt(args[4]) : 100;

    Path work = Files.createTempDirectory("watchroom-broadcast-");
    HttpClient http = HttpClient.newHttpClient();
    Map<Long, Pending> pending = new ConcurrentHashMap<>();
    List<BenchSocket> clients = new ArrayList<>();
    ExecutorService senders = Executors.newFixedThreadPool(CONCURRENCY);
    AtomicLong positions = new AtomicLong();
    AtomicInteger nextSender = new AtomicInteger();
    int passed = 0;
    double passedP95 = Double.NaN;
    try (BenchServer server = BenchServer.start(kind, work, Map.of())) {
      String owner = server.guest(http, 0);
      String room = server.createRoom(http, owner);
      System.out.printf("%s: pid %d, one room, %d concurrent broadcasts, %d per step%n", server.name(), server.pid(), CONCURRENCY, samples);
      System.out.println("clients\tbroadcasts\tmedian_ms\tp95_ms\tmax_ms\ttimeouts");
      for (int target = start; target <= max; target += step) {
        while (clients.size() < target) {
          clients.add(
              BenchSocket.join(server.roomUrl(room), clients.isEmpty() ? owner : server.guest(http, clients.size()), (socket, frame) -> {
                if (BenchSocket.isType(frame, "playback")) {
                  Pending p = pending.get(BenchSocket.action(frame));
                  if (p != null) {
                    p.received();
                  }
                }
              }));
          if (clients.size() == 1) {
            clients.get(0).send("{\"type\":\"set_media\",\"url\":\"" + server.mediaUrl() + "\"}");
          }
        }
        Thread.sleep(1000);
        int n = clients.size();
        if (target == start) {
          // Warm-up, not counted: JIT compilation of the server's and the client's paths.
          broadcastRound(clients, pending, positions, nextSender, senders, Math.max(samples, 200), new ArrayList<>(), new AtomicInteger());
        }
        List<Double> roundTrips = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger timeouts = new AtomicInteger();
        broadcastRound(clients, pending, positions, nextSender, senders, samples, roundTrips, timeouts);
        double p95 = Stats.percentile(roundTrips, 95);
        System.out.printf("%d\t%d\t%.1f\t%.1f\t%.1f\t%d%n", n, roundTrips.size(), Stats.median(roundTrips), p95,
            Stats.percentile(roundTrips, 100), timeouts.get());
        if (p95 > LIMIT_MS || timeouts.get() > 0 || Double.isNaN(p95)) {
          break;
        }
        passed = n;
        passedP95 = p95;
      }
      System.out.printf("RESULT %s: %d clients with p95 %.1f ms (the next step passed %.0f ms)%n", server.name(), passed, passedP95, LIMIT_MS);
    } finally {
      clients.forEach(BenchSocket::close);
      senders.shutdownNow();
    }
    System.exit(0);
  }

  /** {@code samples} broadcasts, {@link #CONCURRENCY} in flight, each until all clients have it. */
  private static void broadcastRound(
      List<BenchSocket> clients,
      Map<Long, Pending> pending,
      AtomicLong positions,
      AtomicInteger nextSender,
      ExecutorService senders,
      int samples,
      List<Double> roundTrips,
      AtomicInteger timeouts)
      throws Exception {
    int n = clients.size();
    AtomicInteger remaining = new AtomicInteger(samples);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < CONCURRENCY; w++) {
      workers.add(senders.submit(() -> {
        while (remaining.getAndDecrement() > 0) {
          long position = positions.incrementAndGet();
          Pending p = new Pending(n);
          pending.put(position, p);
          BenchSocket sender = clients.get(Math.floorMod(nextSender.getAndIncrement(), n));
          long sent = System.nanoTime();
          sender.send(BenchSocket.seek(position));
          try {
            if (p.all.await(10, TimeUnit.SECONDS)) {
              roundTrips.add((p.lastAt.get() - sent) / 1e6);
            } else {
              timeouts.incrementAndGet();
            }
          } catch (InterruptedException e) {
            return;
          } finally {
            pending.remove(position);
          }
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
  }

  private static final class Pending {
    final CountDownLatch all;
    final AtomicLong lastAt = new AtomicLong();

    Pending(int clients) {
      all = new CountDownLatch(clients);
    }

    void received() {
      lastAt.set(System.nanoTime());
      all.countDown();
    }
  }
}
