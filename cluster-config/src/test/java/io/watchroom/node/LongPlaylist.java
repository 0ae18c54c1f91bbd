package io.watchroom.node;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The media of the cluster tests and load benchmarks: a video-on-demand HLS playlist that lasts
 * 800,000 seconds (rooms take up to 10 days), served on loopback. Nodes read every link before it
 * enters a room, so the room learns that duration; simulated viewers act by seeking to positions
 * that name the action, and a short video would clamp those positions to its end.
 * Nothing plays it, so the one segment it lists does not exist.
 */
public final class LongPlaylist implements AutoCloseable {

  /** What the nodes need to be allowed to read it. */
  public static final String FETCH_ALLOW = "127.0.0.1/32";

  private static final String PLAYLIST =
      """
      #EXTM3U
      #EXT-X-VERSION:3
      #EXT-X-PLAYLIST-TYPE:VOD
      #EXT-X-TARGETDURATION:800000
      #EXTINF:800000.0,
      segment0.ts
      #EXT-X-ENDLIST
      """;

  private final HttpServer server;

  private LongPlaylist(HttpServer server) {
    this.server = server;
  }

  public static LongPlaylist start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body = PLAYLIST.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/long.m3u8",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/vnd.apple.mpegurl");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    // Its one segment (a stand-in: nothing decodes it), for tests that fetch it through the proxy.
    byte[] segment = new byte[64 * 1024];
    server.createContext(
        "/segment0.ts",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "video/mp2t");
          exchange.sendResponseHeaders(200, segment.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(segment);
          }
        });
    server.setExecutor(null);
    server.start();
    return new LongPlaylist(server);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/long.m3u8";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
