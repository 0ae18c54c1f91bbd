package io.watchroom.http;

import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;

import com.typesafe.config.Config;
import io.watchroom.extraction.DestinationGuard.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Who is asking, for limits per address: the peer of the TCP connection. A client can write any
 * {@code X-Forwarded-For} it likes, so that header is believed only when the connection comes
 * from a proxy listed in {@code watchroom.http.trusted-proxies}; then the address is the last one
 * in the header that is not itself a trusted proxy (the one the outermost trusted proxy saw).
 */
public final class ClientAddresses {

  // Only address literals are read from the header: a name would mean a DNS lookup per request.
  // (Java looks a string up as a name when it is not a valid literal, so IPv4 octets are checked
  // here; a string with a colon is only ever parsed as an IPv6 literal.)
  private static final Pattern LITERAL =
      Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final List<Cidr> trusted;

  public ClientAddresses(List<String> trustedProxies) {
    this.trusted = trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
  }

  public static ClientAddresses fromConfig(Config config) {
    return new ClientAddresses(Arrays.asList(config.getString("watchroom.http.trusted-proxies").split(",")));
  }

  /** Runs {@code inner} with the client's address (a string, "unknown" if there is none). */
  public Route withClientAddress(Function<String, Route> inner) {
    return extractRequest(
        request -> {
          Optional<InetAddress> peer =
              request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress);
          Optional<String> forwarded = request.getHeader("X-Forwarded-For").map(HttpHeader::value);
          return inner.apply(peer.map(p -> of(p, forwarded)).orElse("unknown"));
        });
  }

  /** The client behind {@code peer}, given the {@code X-Forwarded-For} the request carried. */
  String of(InetAddress peer, Optional<String> forwardedFor) {
    InetAddress client = peer;
    if (isTrusted(client) && forwardedFor.isPresent()) {
      String[] hops = forwardedFor.get().split(",");
      for (int i = hops.length - 1; i >= 0 && isTrusted(client); i--) {
        Optional<InetAddress> hop = literal(hops[i].strip());
        if (hop.isEmpty()) {
          break;
        }
        client = hop.get();
      }
    }
    return client.getHostAddress();
  }

  private boolean isTrusted(InetAddress address) {
    return trusted.stream().anyMatch(network -> network.contains(address));
  }

  private static Optional<InetAddress> literal(String text) {
    if (!LITERAL.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
