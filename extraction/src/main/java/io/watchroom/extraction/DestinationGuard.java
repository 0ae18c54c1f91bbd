package io.watchroom.extraction;

import com.typesafe.config.Config;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides where the server may connect when it fetches something a user pointed at: pages,
 * manifests, segments, probes. Only http and https; host names are resolved once here and the
 * connection goes to the address that was checked (callers connect to what {@link #resolve}
 * returns), so a name cannot pass the check and then point elsewhere. Refused unless allowed in
 * configuration: loopback, private (RFC 1918), link-local (including cloud metadata at
 * 169.254.169.254), carrier-grade NAT (100.64/10), multicast, unspecified and reserved IPv4,
 * IPv4-mapped and unique-local IPv6.
 */
public final class DestinationGuard {

  private final List<Cidr> allowedNetworks;
  private final Set<String> allowedHosts;
  private final Function<String, InetAddress[]> dns;

  public DestinationGuard(List<String> allowList) {
    this(allowList, DestinationGuard::lookup);
  }

  /** @param dns the name lookup (tests substitute one that answers with chosen addresses) */
  public DestinationGuard(List<String> allowList, Function<String, InetAddress[]> dns) {
    List<Cidr> networks = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (String entry : allowList) {
      String e = entry.strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (Character.isDigit(e.charAt(0)) || e.contains(":")) {
        networks.add(Cidr.parse(e));
      } else {
        hosts.add(e);
      }
    }
    this.allowedNetworks = List.copyOf(networks);
    this.allowedHosts = Set.copyOf(hosts);
    this.dns = dns;
  }

  public static DestinationGuard fromConfig(Config config) {
    return new DestinationGuard(java.util.Arrays.asList(config.getString("watchroom.fetch.allow").split(",")));
  }

  /** Parses and checks a URL's form: absolute, http or https, with a host, no credentials. */
  public URI checkUrl(String url) throws BlockedDestination, NotAUrl {
    if (url == null || url.isBlank() || url.length() > 4096) {
      throw new NotAUrl();
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new NotAUrl();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new NotAUrl();
    }
    if (uri.getRawUserInfo() != null) {
      throw new BlockedDestination("Links with a user name or password are not fetched.");
    }
    return uri;
  }

  /** The address to connect to for {@code host}, or why not. */
  public InetAddress resolve(String host) throws BlockedDestination {
    String name = host.toLowerCase(Locale.ROOT);
    boolean literalV6 = name.startsWith("[") || name.contains(":");
    String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    InetAddress[] addresses = dns.apply(bare);
    if (addresses == null || addresses.length == 0) {
      throw new BlockedDestination("The host " + host + " does not exist.");
    }
    if (allowedHosts.contains(bare)) {
      return addresses[0];
    }
    String refusal = null;
    for (InetAddress address : addresses) {
      // Java turns an IPv4-mapped IPv6 literal into the IPv4 address it embeds: refuse the form.
      boolean mapped = literalV6 && address instanceof Inet4Address;
      String why = mapped ? "an IPv4-mapped IPv6 address" : forbidden(address);
      if (why == null || allowedNetworks.stream().anyMatch(n -> n.contains(address))) {
        return address;
      }
      refusal = why;
    }
    throw new BlockedDestination("The link points to " + refusal + ", which the server does not fetch from.");
  }

  /** Why an address may not be fetched from, or null when it may. */
  static String forbidden(InetAddress a) {
    if (a.isAnyLocalAddress()) {
      return "an unspecified address";
    }
    if (a.isLoopbackAddress()) {
      return "this machine (loopback)";
    }
    if (a.isLinkLocalAddress()) {
      return "a link-local address";
    }
    if (a.isMulticastAddress()) {
      return "a multicast address";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
        return "a private network";
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return "a carrier-grade NAT address";
      }
      if (first == 0 || first >= 240 || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
          || (first == 198 && (second == 18 || second == 19))) {
        return "a reserved address";
      }
      return null;
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return "a unique-local IPv6 address";
      }
      boolean mappedPrefix = true;
      for (int i = 0; i < 10; i++) {
        mappedPrefix &= b[i] == 0;
      }
      if (mappedPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        return "an IPv4-mapped IPv6 address";
      }
      if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
        return "a site-local IPv6 address";
      }
      return null;
    }
    return "an unknown kind of address";
  }

  private static InetAddress[] lookup(String host) {
    try {
      return InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return new InetAddress[0];
    }
  }

  /** Not a URL at all. */
  public static final class NotAUrl extends Exception {
    public NotAUrl() {
      super("This is not a link: paste an address starting with http:// or https://.", null, false, false);
    }
  }

  /** An IPv4 or IPv6 network in CIDR notation (a bare address is a single host). */
  public record Cidr(byte[] network, int prefix) {
    /** Parses configuration; a host name here is looked up once. */
    public static Cidr parse(String text) {
      String[] parts = text.split("/");
      try {
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
        return new Cidr(address, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("Not a network: " + text, e);
      }
    }

    public boolean contains(InetAddress address) {
      byte[] b = address.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int bits = prefix;
      for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((b[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
