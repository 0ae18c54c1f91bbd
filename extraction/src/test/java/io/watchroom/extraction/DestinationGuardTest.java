package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DestinationGuardTest {

  /** A name service that answers with fixed addresses, so host names can be tested offline. */
  private static InetAddress[] dns(String host) {
    Map<String, String> names =
        Map.of(
            "public.example", "93.184.216.34",
            "sneaky.example", "127.0.0.1",
            "metadata.example", "169.254.169.254",
            "split.example", "10.1.2.3");
    try {
      String fixed = names.get(host);
      return new InetAddress[] {InetAddress.getByName(fixed != null ? fixed : host)};
    } catch (Exception e) {
      return new InetAddress[0];
    }
  }

  private final DestinationGuard guard = new DestinationGuard(List.of(), DestinationGuardTest::dns);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/video.mp4",
        "http://127.1.2.3:8080/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:8.8.8.8]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::]/",
        "http://240.0.0.1/",
        "http://sneaky.example/",
        "http://metadata.example/",
        "http://split.example/"
      })
  void hostileDestinationsAreRefused(String url) throws Exception {
    URI uri = guard.checkUrl(url);
    assertThrows(BlockedDestination.class, () -> guard.resolve(uri.getHost()), url);
  }

  @Test
  void publicDestinationsResolveToTheCheckedAddress() throws Exception {
    assertEquals(InetAddress.getByName("93.184.216.34"), guard.resolve("public.example"));
    assertEquals(InetAddress.getByName("8.8.8.8"), guard.resolve("8.8.8.8"));
    assertEquals(InetAddress.getByName("2001:4860:4860::8888"), guard.resolve("[2001:4860:4860::8888]"));
  }

  @Test
  void onlyHttpAndHttpsLinksWithAHostAreUrls() {
    for (String bad : new String[] {"not a url", "ftp://example.org/a.mp4", "javascript:alert(1)", "file:///etc/passwd",
        "/relative/path.mp4", "http://", "gopher://x", "", "data:text/html,hi"}) {
      assertThrows(DestinationGuard.NotAUrl.class, () -> guard.checkUrl(bad), bad);
    }
    assertThrows(BlockedDestination.class, () -> guard.checkUrl("http://user:secret@public.example/"));
  }

  @Test
  void theAllowListOpensNetworksAndHosts() throws Exception {
    DestinationGuard tests = new DestinationGuard(List.of("127.0.0.0/8", "::1", "split.example"), DestinationGuardTest::dns);
    assertEquals(InetAddress.getByName("127.0.0.1"), tests.resolve("127.0.0.1"));
    assertEquals(InetAddress.getByName("::1"), tests.resolve("[::1]"));
    assertEquals(InetAddress.getByName("10.1.2.3"), tests.resolve("split.example"));
    assertThrows(BlockedDestination.class, () -> tests.resolve("10.0.0.1"));
    assertThrows(BlockedDestination.class, () -> tests.resolve("169.254.169.254"));
  }

  @Test
  void unknownHostsAreRefused() {
    assertThrows(BlockedDestination.class, () -> guard.resolve("no-such-host.invalid"));
  }
}
