package io.watchroom.extraction;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import kamon.Kamon;
import kamon.metric.Counter;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Serves {@code /api/proxy/{token}}: media fetched from where the token says, streamed through
 * Pekko Streams and never held whole unless it is small enough to cache.
 *
 * <ul>
 *   <li>Manifests are rewritten ({@link ManifestRewriter}) so every URI goes through here.
 *   <li>Range requests are forwarded and answered with the upstream's 206 and Content-Range;
 *       only a short list of headers passes either way.
 *   <li>Small objects (segments, init segments, ranges) are cached in memory and on disk ({@link
 *       SegmentCache}); requests for an object that is being fetched join that one fetch and
 *       read its bytes as they arrive, so a hundred players asking for a cold segment make one
 *       upstream request.
 *   <li>When a segment of a playlist being watched is asked for, the next ones are fetched ahead.
 *   <li>A stream URL of a video site that has expired is resolved again once, and retried.
 * </ul>
 */
public final class MediaProxy {

  /** Limits of the proxy, from {@code watchroom.proxy}. */
  public record Settings(long maxCachedObjectBytes, int prefetchSegments, long maxManifestBytes) {}

  private static final Counter hitsMemory = Kamon.counter("watchroom.proxy.hits").withTag("tier", "memory");
  private static final Counter hitsDisk = Kamon.counter("watchroom.proxy.hits").withTag("tier", "disk");
  private static final Counter misses = Kamon.counter("watchroom.proxy.misses").withoutTags();
  private static final Counter upstreamBytes = Kamon.counter("watchroom.proxy.upstream.bytes").withoutTags();

  private final ActorSystem<?> system;
  private final Upstream upstream;
  private final ProxyTokens tokens;
  private final ManifestRewriter rewriter;
  private final MediaResolver resolver;
  private final SegmentCache cache;
  private final Settings settings;
  private final Executor blocking;
  private final ConcurrentHashMap<String, Fetch> inFlight = new ConcurrentHashMap<>();
  /** For each media segment of a playlist served lately: the segments that follow it. */
  private final Cache<String, List<URI>> following =
      Caffeine.newBuilder().maximumSize(50_000).expireAfterAccess(Duration.ofHours(2)).build();

  public MediaProxy(
      ActorSystem<?> system,
      Upstream upstream,
      ProxyTokens tokens,
      MediaResolver resolver,
      SegmentCache cache,
      Settings settings) {
    this.system = system;
    this.upstream = upstream;
    this.tokens = tokens;
    this.rewriter = new ManifestRewriter(tokens);
    this.resolver = resolver;
    this.cache = cache;
    this.settings = settings;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  public ProxyTokens tokens() {
    return tokens;
  }

  /**
   * @param rest the path after the token ("" or a file name; inside a folder token, the file)
   * @param query the raw query string of the request, if any
   */
  public CompletionStage<HttpResponse> serve(String token, String rest, Optional<String> query, Optional<String> range) {
    Optional<ProxyTokens.Ref> verified = tokens.verify(token);
    if (verified.isEmpty()) {
      return CompletableFuture.completedFuture(
          error(404, "not_found", "This media link is not valid or has expired; reload the room."));
    }
    ProxyTokens.Ref ref = verified.get();
    URI target;
    try {
      target = target(ref, rest, query);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(error(400, "invalid", e.getMessage()));
    }
    CompletionStage<HttpResponse> answer =
        switch (ref.role()) {
          case SPLIT -> splitManifest(ref);
          case HLS, DASH -> manifest(ref, target, true);
          case MEDIA -> media(ref, target, range, true);
        };
    return answer.exceptionally(this::failure);
  }

  /** The upstream URL: the token's, or for a folder token, the file named after it. */
  static URI target(ProxyTokens.Ref ref, String rest, Optional<String> query) {
    URI url = URI.create(ref.url());
    if (!ref.url().endsWith("/")) {
      return url;
    }
    if (rest.isEmpty() || rest.startsWith("/") || rest.contains("://") || rest.contains("\\")) {
      throw new IllegalArgumentException("A file inside the folder is needed.");
    }
    URI resolved = url.resolve(rest + query.map(q -> "?" + q).orElse("")).normalize();
    if (!resolved.toString().startsWith(ref.url())) {
      throw new IllegalArgumentException("That path leaves the folder.");
    }
    return resolved;
  }

  // --- manifests ---------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> manifest(ProxyTokens.Ref ref, URI url, boolean mayRenew) {
    return upstream
        .text(url, List.of(), settings.maxManifestBytes())
        .handle(
            (text, failure) -> {
              if (failure != null) {
                Throwable cause = unwrap(failure);
                if (expired(cause) && ref.source() != null && ref.part() != null) {
                  // Renewed once; a fresh URL that fails the same way is not tried again.
                  return mayRenew ? renewed(ref).thenCompose(fresh -> manifest(ref, fresh, false))
                      : CompletableFuture.<HttpResponse>failedFuture(new ResolveFailure(ResolveFailure.Code.LINK_EXPIRED));
                }
                throw new CompletionException(cause);
              }
              String body;
              String type;
              if (ref.role() == ProxyTokens.Role.HLS || ManifestInspector.looksLikeHls(text.body())) {
                List<URI> segments = new ArrayList<>();
                body = rewriter.hls(text.body(), text.uri(), ref.source(), (index, segment) -> segments.add(segment));
                remember(segments);
                type = "application/vnd.apple.mpegurl";
              } else {
                body = rewriter.dash(text.body(), text.uri(), ref.source());
                type = "application/dash+xml";
              }
              return CompletableFuture.completedFuture(
                  HttpResponse.create()
                      .withEntity(HttpEntities.create(contentType(type), ByteString.fromString(body)))
                      .addHeader(RawHeader.create("Cache-Control", "no-cache")));
            })
        .thenCompose(stage -> stage);
  }

  private CompletionStage<HttpResponse> splitManifest(ProxyTokens.Ref ref) {
    return resolver
        .resolve(ref.source())
        .thenApply(
            media -> {
              if (media.kind() != ResolvedMedia.Kind.SPLIT) {
                throw new CompletionException(new ResolveFailure(ResolveFailure.Code.LINK_EXPIRED));
              }
              String mpd = DashManifestWriter.write(media.split(), media.duration(), file ->
                  tokens.path(file, ref.source(), ProxyTokens.Role.MEDIA,
                      file.equals(media.split().video()) ? "video" : "audio"));
              return HttpResponse.create()
                  .withEntity(HttpEntities.create(contentType("application/dash+xml"), ByteString.fromString(mpd)))
                  .addHeader(RawHeader.create("Cache-Control", "no-cache"));
            });
  }

  private void remember(List<URI> segments) {
    for (int i = 0; i < segments.size(); i++) {
      int end = Math.min(segments.size(), i + 1 + settings.prefetchSegments());
      following.put(segments.get(i).toString(), List.copyOf(segments.subList(i + 1, end)));
    }
  }

  // --- media -------------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> media(ProxyTokens.Ref ref, URI url, Optional<String> range, boolean mayRenew) {
    String key = url + "|" + range.orElse("");
    String wholeKey = url + "|";
    boolean inMemory = cache.inMemory(key) || (range.isPresent() && cache.inMemory(wholeKey));
    if (!inMemory && (cache.onDisk(key) || (range.isPresent() && cache.onDisk(wholeKey)))) {
      // A disk hit is read on the blocking pool, never on the threads that serve requests.
      return CompletableFuture.supplyAsync(() -> fromCache(key, url, range), blocking)
          .thenCompose(hit -> hit.isPresent() ? served(url, hit.get()) : fetched(ref, url, key, range, mayRenew));
    }
    Optional<HttpResponse> hit = inMemory ? fromCache(key, url, range) : Optional.empty();
    return hit.isPresent() ? served(url, hit.get()) : fetched(ref, url, key, range, mayRenew);
  }

  private CompletionStage<HttpResponse> served(URI url, HttpResponse hit) {
    prefetchAfter(url);
    return CompletableFuture.completedFuture(hit);
  }

  private CompletionStage<HttpResponse> fetched(ProxyTokens.Ref ref, URI url, String key, Optional<String> range, boolean mayRenew) {
    misses.increment();
    Fetch fetch = shared(key, url, range);
    prefetchAfter(url);
    return fetch.head.handle(
            (head, failure) -> {
              if (failure != null) {
                Throwable cause = unwrap(failure);
                if (expired(cause) && ref.source() != null && ref.part() != null) {
                  return mayRenew ? renewed(ref).thenCompose(fresh -> media(ref, fresh, range, false))
                      : CompletableFuture.<HttpResponse>failedFuture(new ResolveFailure(ResolveFailure.Code.LINK_EXPIRED));
                }
                throw new CompletionException(cause);
              }
              if (fetch.unshared) {
                Source<ByteString, NotUsed> mine = fetch.takeDirect();
                if (mine == null) {
                  // Joined a fetch that turned out too big (or of unknown size) to share, and
                  // another request took its one stream: this one fetches a copy of its own.
                  Fetch own = start(key, url, range);
                  return own.head.thenApply(h -> respond(own, h, own.unshared ? own.takeDirect() : own.reader()));
                }
                return CompletableFuture.completedFuture(respond(fetch, head, mine));
              }
              return CompletableFuture.completedFuture(respond(fetch, head, fetch.reader()));
            })
        .thenCompose(stage -> stage);
  }

  /** A cached answer for exactly this range, or cut from the whole object when that is cached. */
  private Optional<HttpResponse> fromCache(String key, URI url, Optional<String> range) {
    boolean memory = cache.inMemory(key);
    Optional<SegmentCache.Entry> exact = cache.get(key);
    if (exact.isPresent()) {
      (memory ? hitsMemory : hitsDisk).increment();
      return Optional.of(cached(exact.get()));
    }
    if (range.isEmpty()) {
      return Optional.empty();
    }
    Optional<long[]> bounds = ByteRanges.parse(range.get());
    if (bounds.isEmpty()) {
      return Optional.empty();
    }
    String wholeKey = url + "|";
    boolean wholeInMemory = cache.inMemory(wholeKey);
    return cache.get(wholeKey)
        .filter(whole -> whole.status() == 200)
        .map(whole -> {
          (wholeInMemory ? hitsMemory : hitsDisk).increment();
          return ByteRanges.slice(whole, bounds.get());
        });
  }

  private HttpResponse cached(SegmentCache.Entry e) {
    HttpResponse response =
        HttpResponse.create()
            .withStatus(e.status())
            .withEntity(HttpEntities.create(contentType(e.contentType()), e.body()))
            .addHeader(RawHeader.create("Accept-Ranges", "bytes"))
            .addHeader(RawHeader.create("Cache-Control", "public, max-age=86400"));
    return e.contentRange() == null ? response : response.addHeader(RawHeader.create("Content-Range", e.contentRange()));
  }

  /** One upstream fetch that every request for the same object reads from. */
  /** The fetch of {@code key} already in flight, or a new one, started. */
  private Fetch shared(String key, URI url, Optional<String> range) {
    Fetch created = new Fetch();
    Fetch running = inFlight.putIfAbsent(key, created);
    if (running != null) {
      return running;
    }
    // Started outside the map's own update (not in computeIfAbsent): an upstream answer that is
    // already there completes the fetch on this thread, and completing removes it from the map,
    // which the map refuses during an update of the same key; the fetch would never complete.
    begin(key, created, url, range);
    return created;
  }

  /** A fetch of its own, not shared with other requests. */
  private Fetch start(String key, URI url, Optional<String> range) {
    Fetch fetch = new Fetch();
    begin(key, fetch, url, range);
    return fetch;
  }

  private void begin(String key, Fetch fetch, URI url, Optional<String> range) {
    List<HttpHeader> headers = new ArrayList<>();
    range.ifPresent(r -> headers.add(RawHeader.create("Range", r)));
    upstream
        .get(url, headers)
        .whenComplete((r, failure) -> answered(key, fetch, r, failure));
  }

  private void answered(String key, Fetch fetch, Upstream.Response r, Throwable failure) {
    try {
      if (failure != null) {
        inFlight.remove(key, fetch);
        fetch.head.completeExceptionally(failure);
        return;
      }
      HttpResponse response = r.response();
      int status = response.status().intValue();
      if (status != 200 && status != 206) {
        response.discardEntityBytes(system);
        inFlight.remove(key, fetch);
        fetch.head.completeExceptionally(new Upstream.Failed("The media server answered " + status + ".", status));
        return;
      }
      ResponseEntity entity = response.entity();
      String contentRange = response.getHeader("Content-Range").map(HttpHeader::value).orElse(null);
      Head head = new Head(status, entity.getContentType().toString(), contentRange, entity.getContentLengthOption().orElse(-1L));
      if (head.length() < 0 || head.length() > settings.maxCachedObjectBytes()) {
        // Too big (or of unknown size) to share or keep: this request streams it alone.
        inFlight.remove(key, fetch);
        fetch.unshared = true;
        fetch.setDirect(
            entity.getDataBytes()
                .map(b -> {
                  upstreamBytes.increment(b.size());
                  return b;
                })
                .mapMaterializedValue(m -> NotUsed.getInstance()));
        fetch.head.complete(head);
        return;
      }
      fetch.head.complete(head);
      entity.getDataBytes()
          .runWith(Sink.foreach(fetch::append), system)
          .whenComplete(
              (done, streamFailure) -> {
                inFlight.remove(key, fetch);
                if (streamFailure != null) {
                  fetch.fail(streamFailure);
                  return;
                }
                ByteString body = fetch.finish();
                upstreamBytes.increment(body.size());
                CompletableFuture.runAsync(
                    () -> cache.put(key, new SegmentCache.Entry(status, head.contentType(), contentRange, body)), blocking);
              });
    } catch (RuntimeException unexpected) {
      // An exception here would vanish with the callback and leave every request on this fetch
      // waiting: it fails them instead.
      inFlight.remove(key, fetch);
      fetch.head.completeExceptionally(unexpected);
    }
  }

  private HttpResponse respond(Fetch fetch, Head head, Source<ByteString, NotUsed> bytes) {
    ResponseEntity entity =
        head.length() >= 0
            ? HttpEntities.create(contentType(head.contentType()), head.length(), bytes)
            : HttpEntities.create(contentType(head.contentType()), bytes);
    HttpResponse response =
        HttpResponse.create()
            .withStatus(head.status())
            .withEntity(entity)
            .addHeader(RawHeader.create("Accept-Ranges", "bytes"))
            .addHeader(RawHeader.create("Cache-Control", "public, max-age=86400"));
    return head.contentRange() == null ? response : response.addHeader(RawHeader.create("Content-Range", head.contentRange()));
  }

  /** Fetches the segments after {@code url} into the cache, if a playlist said what they are. */
  private void prefetchAfter(URI url) {
    List<URI> next = following.getIfPresent(url.toString());
    if (next == null) {
      return;
    }
    for (URI segment : next) {
      String key = segment + "|";
      if (!cache.inMemory(key) && !inFlight.containsKey(key)) {
        Fetch ahead = shared(key, segment, Optional.empty());
        // Nobody reads a fetch made ahead until a player asks: consume a direct stream at once.
        ahead.head.thenAccept(head -> {
          Source<ByteString, NotUsed> unread = ahead.takeDirect();
          if (unread != null) {
            unread.runWith(Sink.ignore(), system);
          }
        });
      }
    }
  }

  private CompletionStage<URI> renewed(ProxyTokens.Ref ref) {
    return resolver
        .refresh(ref.source())
        .thenApply(
            media -> {
              URI fresh =
                  switch (ref.part()) {
                    case "video" -> media.split() == null ? null : media.split().video();
                    case "audio" -> media.split() == null ? null : media.split().audio();
                    default -> media.stream();
                  };
              if (fresh == null) {
                throw new CompletionException(new ResolveFailure(ResolveFailure.Code.LINK_EXPIRED));
              }
              return fresh;
            })
        .exceptionally(failure -> {
          throw new CompletionException(new ResolveFailure(ResolveFailure.Code.LINK_EXPIRED));
        });
  }

  private static boolean expired(Throwable cause) {
    return cause instanceof Upstream.Failed f && (f.status == 403 || f.status == 410);
  }

  private HttpResponse failure(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ResolveFailure r && r.code() == ResolveFailure.Code.LINK_EXPIRED) {
      return error(410, "link_expired", r.getMessage());
    }
    if (cause instanceof BlockedDestination b) {
      return error(403, "blocked_destination", b.getMessage());
    }
    if (cause instanceof Upstream.Failed f) {
      int status = f.status == 416 ? 416 : f.status == 404 || f.status == 410 ? 404 : 502;
      return error(status, status == 404 ? "not_found" : "upstream_failed", f.getMessage());
    }
    ResolveFailure reason = MediaResolver.asResolveFailure(cause);
    return error(502, reason.code().wireName(), reason.getMessage());
  }

  private static HttpResponse error(int status, String code, String message) {
    JsonStringEncoder json = JsonStringEncoder.getInstance();
    String body = "{\"code\":\"" + new String(json.quoteAsString(code)) + "\",\"message\":\"" + new String(json.quoteAsString(message)) + "\"}";
    return HttpResponse.create().withStatus(StatusCodes.get(status)).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  private static ContentType contentType(String value) {
    return ContentTypes.parse(value);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** What the upstream answered, before its body. */
  record Head(int status, String contentType, String contentRange, long length) {}

  /**
   * An object being fetched: its chunks as they arrive, kept so that requests joining late read
   * from the start; each reader follows the chunks with its own index.
   */
  static final class Fetch {
    final CompletableFuture<Head> head = new CompletableFuture<>();
    private final List<ByteString> chunks = new ArrayList<>();
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean done;
    private Throwable failed;
    /** For objects not shared: the one stream, handed to the first request. */
    private Source<ByteString, NotUsed> direct;
    /** Set before {@link #head} completes when the object is streamed to one request only. */
    volatile boolean unshared;

    synchronized void setDirect(Source<ByteString, NotUsed> stream) {
      direct = stream;
    }

    /** The one stream of an unshared object, to the first caller only; null after. */
    synchronized Source<ByteString, NotUsed> takeDirect() {
      Source<ByteString, NotUsed> taken = direct;
      direct = null;
      return taken;
    }

    synchronized void append(ByteString chunk) {
      chunks.add(chunk);
      wake();
    }

    synchronized ByteString finish() {
      done = true;
      wake();
      ByteString all = ByteString.emptyByteString();
      for (ByteString c : chunks) {
        all = all.concat(c);
      }
      return all;
    }

    synchronized void fail(Throwable cause) {
      failed = cause;
      done = true;
      wake();
    }

    private void wake() {
      waiting.forEach(w -> w.complete(null));
      waiting.clear();
    }

    /** Chunk {@code index} once it is there; empty after the last. */
    synchronized CompletionStage<Optional<ByteString>> chunk(int index) {
      if (index < chunks.size()) {
        return CompletableFuture.completedFuture(Optional.of(chunks.get(index)));
      }
      if (done) {
        return failed == null ? CompletableFuture.completedFuture(Optional.empty()) : CompletableFuture.failedFuture(failed);
      }
      CompletableFuture<Void> arrival = new CompletableFuture<>();
      waiting.add(arrival);
      return arrival.thenCompose(ignored -> chunk(index));
    }

    Source<ByteString, NotUsed> reader() {
      return Source.unfoldAsync(
          0, index -> chunk(index).thenApply(c -> c.map(bytes -> Pair.create(index + 1, bytes))));
    }
  }
}
