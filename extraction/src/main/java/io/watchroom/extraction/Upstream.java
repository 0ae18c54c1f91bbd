package io.watchroom.extraction;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.UserAgent;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;

/**
 * The one way the server fetches from the internet on a user's behalf. Every connection goes
 * through {@link DestinationGuard}: the host is resolved and checked when the connection is made
 * and the socket is opened to exactly that address. Redirects are followed here, by hand, each
 * hop checked again, at most {@value #MAX_REDIRECTS}. Host pools are sized for media: a player
 * fetches segments several at a time and keeps connections warm.
 */
public final class Upstream {

  public static final int MAX_REDIRECTS = 5;

  /** A response and the URL it finally came from, after redirects. */
  public record Response(URI uri, HttpResponse response) {}

  /** Fetching failed for a reason worth telling the user. */
  public static final class Failed extends Exception {
    public final int status;

    public Failed(String message, int status) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final ActorSystem<?> system;
  private final DestinationGuard guard;
  private final ConnectionPoolSettings pool;
  private final Executor blocking;
  private final Duration responseTimeout;
  // One context for every request: a host's pool is keyed by it, so a new one per request would
  // give every https request a pool (and a TLS handshake) of its own.
  private final HttpsConnectionContext tls = ConnectionContext.httpsClient(defaultSsl());

  public Upstream(ActorSystem<?> system, DestinationGuard guard, Duration connectTimeout, Duration responseTimeout, int connectionsPerHost) {
    this.system = system;
    this.guard = guard;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.responseTimeout = responseTimeout;
    ClientTransport checked =
        ClientTransport.withCustomResolver(
            (host, port) ->
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return new InetSocketAddress(guard.resolve(host), (Integer) port);
                      } catch (BlockedDestination e) {
                        throw new CompletionException(e);
                      }
                    },
                    blocking));
    ClientConnectionSettings connection =
        ClientConnectionSettings.create(system.classicSystem())
            .withTransport(checked)
            .withConnectingTimeout(connectTimeout)
            .withIdleTimeout(responseTimeout);
    this.pool =
        ConnectionPoolSettings.create(system.classicSystem())
            .withConnectionSettings(connection)
            .withMaxConnections(connectionsPerHost)
            .withMaxOpenRequests(Integer.highestOneBit(Math.max(32, connectionsPerHost * 16)))
            .withMaxRetries(0)
            .withResponseEntitySubscriptionTimeout(responseTimeout);
  }

  public DestinationGuard guard() {
    return guard;
  }

  /**
   * GETs {@code uri}, following redirects; the response entity must be consumed or discarded by
   * the caller.
   */
  public CompletionStage<Response> get(URI uri, List<HttpHeader> headers) {
    return get(uri, headers, 0);
  }

  private CompletionStage<Response> get(URI uri, List<HttpHeader> headers, int hops) {
    return checked(uri)
        .thenCompose(
            target -> {
              List<HttpHeader> all = new ArrayList<>(headers);
              if (all.stream().noneMatch(h -> h.is("user-agent"))) {
                all.add(UserAgent.create("Watchroom/0.1 (+https://github.com/watchroom)"));
              }
              HttpRequest request = HttpRequest.GET(target.toASCIIString()).addHeaders(all);
              return Http.get(system)
                  .singleRequest(request, tls, pool, system.classicSystem().log())
                  .exceptionally(
                      failure -> {
                        throw new CompletionException(explain(failure));
                      });
            })
        .thenCompose(
            response -> {
              int status = response.status().intValue();
              Optional<Location> location = response.getHeader(Location.class);
              if (status >= 300 && status < 400 && status != 304 && location.isPresent()) {
                response.discardEntityBytes(system);
                if (hops >= MAX_REDIRECTS) {
                  return CompletableFuture.failedFuture(new Failed("The link redirects too many times.", 508));
                }
                URI next = uri.resolve(location.get().getUri().toString());
                return get(next, headers, hops + 1);
              }
              return CompletableFuture.completedFuture(new Response(uri, response));
            });
  }

  /** The URL after the form and destination checks, failing with {@link BlockedDestination}. */
  private CompletionStage<URI> checked(URI uri) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            URI target = guard.checkUrl(uri.toString());
            guard.resolve(target.getHost());
            return target;
          } catch (BlockedDestination | DestinationGuard.NotAUrl e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /** Fetches a small text body (a manifest, a page, a JSON document) with a size cap. */
  public CompletionStage<Text> text(URI uri, List<HttpHeader> headers, long maxBytes) {
    return get(uri, headers)
        .thenCompose(
            r -> {
              int status = r.response().status().intValue();
              if (status >= 400) {
                r.response().discardEntityBytes(system);
                return CompletableFuture.failedFuture(new Failed("The server answered " + status + ".", status));
              }
              return r.response()
                  .entity()
                  .withSizeLimit(maxBytes)
                  .toStrict(responseTimeout.toMillis(), system)
                  .thenApply(
                      strict ->
                          new Text(
                              r.uri(),
                              strict.getContentType().toString(),
                              strict.getData().utf8String()));
            });
  }

  /** A text body and where it came from. */
  public record Text(URI uri, String contentType, String body) {}

  private static Throwable explain(Throwable failure) {
    Throwable cause = failure;
    while (cause != null) {
      if (cause instanceof BlockedDestination || cause instanceof DestinationGuard.NotAUrl) {
        return cause;
      }
      cause = cause.getCause();
    }
    return failure;
  }

  private static javax.net.ssl.SSLContext defaultSsl() {
    try {
      return javax.net.ssl.SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
