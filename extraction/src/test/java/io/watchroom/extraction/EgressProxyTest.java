package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The egress proxy yt-dlp and ffprobe connect through: every CONNECT tunnel and every plain http
 * request is checked by the guard, names are resolved by the guard and the connection opened to
 * the address it checked. Redirects are not followed by the proxy: the tool follows them with a
 * new request, which is checked again.
 */
class EgressProxyTest {

  private static ActorTestKit testKit;
  private static FixtureServer web;
  /** As in production: nothing on this machine or a private network is let through. */
  private static EgressProxy closed;
  /** As in the tests: the fixture's one address is let through. */
  private static EgressProxy open;

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    web = FixtureServer.start(testKit.system());
    closed = EgressProxy.start(testKit.system(), new DestinationGuard(List.of(), EgressProxyTest::lookup));
    open = EgressProxy.start(testKit.system(), new DestinationGuard(List.of("127.0.0.1/32"), EgressProxyTest::lookup));
  }

  @AfterAll
  static void stop() throws Exception {
    closed.close();
    open.close();
    web.close();
    testKit.shutdownTestKit();
  }

  /** media.example is the fixture's address, intranet.example a private one; numbers are themselves. */
  private static InetAddress[] lookup(String host) {
    try {
      return switch (host) {
        case "media.example" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        case "intranet.example" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 1, 2, 3})};
        default -> Character.isDigit(host.charAt(0)) || host.contains(":") ? InetAddress.getAllByName(host) : new InetAddress[0];
      };
    } catch (UnknownHostException e) {
      return new InetAddress[0];
    }
  }

  @Test
  void tunnelsToLoopbackPrivateAndMetadataAddressesAreRefused() throws Exception {
    int port = web.port();
    int connectionsBefore = web.connections();
    for (String target : List.of("127.0.0.1:" + port, "[::1]:" + port, "[::ffff:127.0.0.1]:" + port, "10.0.0.1:443",
        "169.254.169.254:80", "intranet.example:443", "nowhere.example:443")) {
      String answer = exchange(closed, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 403 Blocked By Watchroom\r\n"), target + ": " + answer);
    }
    assertEquals(connectionsBefore, web.connections(), "nothing reached the fixture");
  }

  @Test
  void plainRequestsToRefusedAddressesAreRefused() throws Exception {
    int connectionsBefore = web.connections();
    for (String url : List.of(web.base() + "/nothing.html", "http://[::1]:" + web.port() + "/nothing.html",
        "http://169.254.169.254/latest/meta-data/", "http://intranet.example/")) {
      String host = URI.create(url).getAuthority();
      String answer = exchange(closed, "GET " + url + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 403 Blocked By Watchroom\r\n"), url + ": " + answer);
    }
    assertEquals(connectionsBefore, web.connections(), "nothing reached the fixture");
  }

  @Test
  void anAllowedTunnelCarriesTheConversationToTheCheckedAddress() throws Exception {
    // media.example exists only in the guard's lookup: reaching the fixture shows the proxy
    // connects to the address the guard answered, not to one it looked up itself.
    try (Socket socket = connect(open)) {
      OutputStream out = socket.getOutputStream();
      out.write(("CONNECT media.example:" + web.port() + " HTTP/1.1\r\nHost: media.example:" + web.port() + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      assertEquals("HTTP/1.1 200 Connection Established\r\n\r\n", readHead(in));
      out.write(("GET /nothing.html HTTP/1.1\r\nHost: media.example\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
      assertTrue(answer.contains("No video here"), answer);
    }
    // The same proxy still refuses what its guard refuses.
    String refused = exchange(open, "CONNECT intranet.example:443 HTTP/1.1\r\nHost: intranet.example:443\r\n\r\n");
    assertTrue(refused.startsWith("HTTP/1.1 403 "), refused);
  }

  @Test
  void anAllowedPlainRequestIsForwardedInOriginFormWithoutProxyHeaders() throws Exception {
    String answer = exchange(open, "GET http://media.example:" + web.port() + "/with-headers.mp4 HTTP/1.1\r\n"
        + "Host: media.example:" + web.port() + "\r\nRange: bytes=0-9\r\nProxy-Authorization: Basic c2VjcmV0\r\n"
        + "Proxy-Connection: keep-alive\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 206 Partial Content"), answer);
    List<String> sent = web.lastHeaderNames;
    assertTrue(sent.contains("range"), sent.toString());
    assertTrue(sent.stream().noneMatch(h -> h.startsWith("proxy-")), "the proxy's own headers stop here: " + sent);
  }

  /**
   * A redirect is handed back to the tool as it came; the tool's request for where it points is a
   * new request, checked like the first.
   */
  @Test
  void aRedirectIsPassedBackAndItsTargetCheckedWhenTheToolFollowsIt() throws Exception {
    String away = "http://127.0.0.2:" + web.port() + "/nothing.html";
    String first = exchange(open, "GET " + web.base() + "/redirect-away?to=" + away + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertTrue(first.startsWith("HTTP/1.1 302 Found"), first);
    assertTrue(first.contains("Location: " + away), first);
    String second = exchange(open, "GET " + away + " HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n");
    assertTrue(second.startsWith("HTTP/1.1 403 Blocked By Watchroom"), second);
  }

  /** yt-dlp itself, following a redirect from an allowed page to a refused address, is stopped. */
  @Test
  void ytDlpFollowingARedirectToARefusedAddressIsBlocked() throws Exception {
    YtDlp ytDlp = new YtDlp(new ExternalProgram(testKit.system()), "yt-dlp", open.url(), Duration.ofSeconds(60), 50);
    int before = web.hits("/page.html");
    String link = web.base() + "/redirect-away?to=http://127.0.0.2:" + web.port() + "/page.html";
    try {
      ytDlp.info(URI.create(link)).toCompletableFuture().get(90, TimeUnit.SECONDS);
      fail("a redirect to a refused address is not followed");
    } catch (ExecutionException e) {
      assertEquals(ResolveFailure.Code.BLOCKED_DESTINATION, assertInstanceOf(ResolveFailure.class, e.getCause()).code());
    }
    assertEquals(before, web.hits("/page.html"), "the page behind the redirect was never fetched");
  }

  @Test
  void malformedRequestsAreAnsweredNotDropped() throws Exception {
    assertTrue(exchange(open, "CONNECT nocolon HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 400 "));
    assertTrue(exchange(open, "GET\r\n\r\n").startsWith("HTTP/1.1 400 "));
    assertTrue(exchange(open, "GET ftp://127.0.0.1/x HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 403 "));
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static Socket connect(EgressProxy proxy) throws Exception {
    URI url = URI.create(proxy.url());
    Socket socket = new Socket(url.getHost(), url.getPort());
    // A bound on a broken test, not a measure of speed.
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** Sends a request and reads the whole answer, up to the proxy closing the connection. */
  private static String exchange(EgressProxy proxy, String request) throws Exception {
    try (Socket socket = connect(proxy)) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
