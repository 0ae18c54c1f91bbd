package io.watchroom.node.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Idle connections on one node: N sockets joined to rooms of 5, held for M minutes without
 * sending anything (the server's keep-alive pings keep them open through idle timeouts), then
 * counted. The node's heap is measured after a full GC (jcmd) before the sockets, once they are
 * all joined, and at the end of the hold; heap per socket is the growth divided by N.
 *
 * <p>Usage: {@code IdleSocketsBenchmark [sockets=5000] [minutes=10]}
 */
public final class IdleSocketsBenchmark {

  public static void main(String[] args) throws Exception {
    int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    HttpClient http = HttpClient.newHttpClient();
    List<BenchSocket> clients = new ArrayList<>();
    try (BenchServer server = BenchServer.start("watchroom", Files.createTempDirectory("watchroom-idle-"), Map.of())) {
      long baseline = heapUsedAfterGc(server.pid());
      long started = System.nanoTime();
      String room = null;
      for (int i = 0; i < sockets; i++) {
        String token = server.guest(http, i);
        if (i % 5 == 0) {
          room = server.createRoom(http, token);
        }
        clients.add(BenchSocket.join(server.roomUrl(room), token, (s, f) -> {}));
      }
      double connectSeconds = (System.nanoTime() - started) / 1e9;
      long connected = heapUsedAfterGc(server.pid());
      System.out.printf("%d sockets joined in %.1f s; heap after GC: %.1f MiB before, %.1f MiB with them (%.1f KiB per socket)%n",
          sockets, connectSeconds, baseline / 1048576.0, connected / 1048576.0, (connected - baseline) / 1024.0 / sockets);
      for (int minute = 1; minute <= minutes; minute++) {
        Thread.sleep(60_000);
        long open = clients.stream().filter(BenchSocket::isOpen).count();
        System.out.printf("after %d min: %d of %d open%n", minute, open, sockets);
      }
      long held = heapUsedAfterGc(server.pid());
      long open = clients.stream().filter(BenchSocket::isOpen).count();
      System.out.printf("RESULT idle sockets: %d of %d still open after %d min; heap per socket %.1f KiB joined, %.1f KiB after the hold (%.1f MiB total growth)%n",
          open, sockets, minutes, (connected - baseline) / 1024.0 / sockets, (held - baseline) / 1024.0 / sockets, (held - baseline) / 1048576.0);
    } finally {
      clients.forEach(BenchSocket::close);
    }
    System.exit(0);
  }

  /** Used heap of a JVM after a full collection, from jcmd (G1's "used NNNK"). */
  static long heapUsedAfterGc(long pid) throws Exception {
    run(pid, "GC.run");
    String info = run(pid, "GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String run(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
    String out;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = String.join("\n", r.lines().toList());
    }
    p.waitFor();
    return out;
  }
}
