package io.watchroom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Limits per client address cannot be dodged with a made-up X-Forwarded-For: the header counts only
 * when the connection comes from a proxy the node is told to trust.
 */
class ClientAddressesTest {

  private static final ClientAddresses BEHIND_PROXIES = new ClientAddresses(List.of("10.0.0.0/8", " 192.168.1.5 "));

  @Test
  void withoutTrustedProxiesThePeerIsTheClient() throws Exception {
    ClientAddresses direct = new ClientAddresses(List.of(""));
    assertEquals("203.0.113.7", direct.of(address("203.0.113.7"), Optional.of("198.51.100.1")));
    assertEquals("127.0.0.1", direct.of(address("127.0.0.1"), Optional.of("198.51.100.1")));
  }

  @Test
  void aTrustedProxyNamesTheClientItForwardedFor() throws Exception {
    assertEquals("198.51.100.1", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.of("198.51.100.1")));
    // A chain of trusted proxies: the last address that is not one of them.
    assertEquals("198.51.100.1", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.of("198.51.100.1, 192.168.1.5, 10.9.9.9")));
    // What the client itself wrote in front of the real hops is not believed.
    assertEquals("198.51.100.1", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.of("1.2.3.4, 198.51.100.1")));
    assertEquals("2001:db8:0:0:0:0:0:1", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.of("2001:db8::1")));
    // No header: the proxy itself.
    assertEquals("10.1.2.3", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.empty()));
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItSays() throws Exception {
    assertEquals("203.0.113.7", BEHIND_PROXIES.of(address("203.0.113.7"), Optional.of("10.0.0.1, 198.51.100.1")));
  }

  @Test
  void namesAndGarbageInTheHeaderStopTheWalk() throws Exception {
    // Never looked up: a name would cost a DNS query per request and could point anywhere.
    assertEquals("10.1.2.3", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.of("localhost")));
    assertEquals("10.1.2.3", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.of("198.51.100.1, unknown")));
    assertEquals("10.1.2.3", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.of("999.1.1.1")));
    assertEquals("10.1.2.3", BEHIND_PROXIES.of(address("10.1.2.3"), Optional.of("")));
  }

  @Test
  void aForgedHeaderDoesNotEarnMoreGuestSessions() throws Exception {
    try (TestNode node = TestNode.start("ClientAddressesTest-direct")) {
      for (int i = 0; i < 60; i++) {
        assertEquals(201, session(node, "198.51.100." + i).statusCode());
      }
      HttpResponse<String> refused = session(node, "198.51.100.200");
      RoomRoutesTest.assertError(refused, 429, "rate_limited");
    }
  }

  @Test
  void behindATrustedProxyEachClientHasItsOwnAllowance() throws Exception {
    try (TestNode node = TestNode.start("ClientAddressesTest-proxied",
        ConfigFactory.parseMap(Map.of("watchroom.http.trusted-proxies", "127.0.0.1/32")))) {
      for (int i = 0; i < 60; i++) {
        assertEquals(201, session(node, "198.51.100.1").statusCode());
      }
      RoomRoutesTest.assertError(session(node, "198.51.100.1"), 429, "rate_limited");
      assertEquals(201, session(node, "198.51.100.2").statusCode());
    }
  }

  private static HttpResponse<String> session(TestNode node, String forwardedFor) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(node.httpBase() + "/api/session"))
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", forwardedFor)
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static InetAddress address(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
