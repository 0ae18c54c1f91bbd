package io.watchroom.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import java.util.concurrent.ConcurrentHashMap;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.http.javadsl.model.headers.Range;
import org.apache.pekko.http.javadsl.model.headers.RangeUnits;
import org.apache.pekko.util.ByteString;

/**
 * Turns a pasted link into something a browser can play, choosing how by the link:
 *
 * <ul>
 *   <li>HLS and DASH manifests are read with the manifest parsers (duration, renditions, live, DRM);
 *   <li>PeerTube watch pages through the instance's API ({@code /api/v1/videos/{id}});
 *   <li>YouTube, Vimeo and Dailymotion: metadata by oEmbed, streams by yt-dlp;
 *   <li>files (mp4, webm, mov, mkv...): content sniffing, then ffprobe for duration and codecs;
 *   <li>everything else through yt-dlp's extractors.
 * </ul>
 *
 * <p>Stream URLs expire, so resolved streams are kept in memory only, for the stream TTL or until
 * just before the expiry the URL itself carries; resolutions of one link that overlap share one
 * run. Metadata (title, duration, thumbnail) is kept per (service, id) in the database for the
 * metadata TTL, so queueing a known video needs no extractor run.
 */
public final class MediaResolver {

  private static final long MAX_TEXT_BYTES = 4 * 1024 * 1024;
  private static final Set<String> FILE_EXTENSIONS =
      Set.of("mp4", "m4v", "webm", "mov", "mkv", "ogv", "ogg", "mp3", "m4a", "wav", "flac", "oga", "opus");
  private static final Pattern YOUTUBE_ID =
      Pattern.compile("(?:v=|youtu\\.be/|/shorts/|/embed/|/live/)([A-Za-z0-9_-]{11})");
  private static final Pattern VIMEO_ID = Pattern.compile("vimeo\\.com/(?:video/)?(\\d+)");
  private static final Pattern DAILYMOTION_ID = Pattern.compile("(?:dailymotion\\.com/video/|dai\\.ly/)([A-Za-z0-9]+)");
  private static final Pattern PEERTUBE_WATCH = Pattern.compile("^/(?:w|videos/watch)/([A-Za-z0-9-]{6,64})/?$");

  /** How the resolver behaves, from {@code watchroom.resolve}. */
  public record Settings(
      Duration timeout,
      Duration streamTtl,
      Duration metadataTtl,
      Duration searchTtl,
      int playlistCap,
      int searchResults,
      boolean proxyDirectFiles,
      String youtubeOEmbed,
      String vimeoOEmbed,
      String dailymotionOEmbed) {}

  private final ActorSystem<?> system;
  private final Upstream upstream;
  private final YtDlp ytDlp;
  private final MediaProbe probe;
  private final Optional<LinkMetadataStore> metadata;
  private final Settings settings;
  private final InstantSource clock;
  private final Executor blocking;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Cache<String, ResolvedMedia> streams;
  private final Cache<String, List<LinkInfo>> searches;
  /** Resolutions under way, so that overlapping requests for one link share one run. */
  private final ConcurrentHashMap<String, CompletableFuture<ResolvedMedia>> resolving = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<List<LinkInfo>>> searching = new ConcurrentHashMap<>();

  MediaResolver(
      ActorSystem<?> system,
      Upstream upstream,
      YtDlp ytDlp,
      MediaProbe probe,
      Optional<LinkMetadataStore> metadata,
      Settings settings,
      InstantSource clock) {
    this.system = system;
    this.upstream = upstream;
    this.ytDlp = ytDlp;
    this.probe = probe;
    this.metadata = metadata;
    this.settings = settings;
    this.clock = clock;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    // The caches' time is the resolver's clock, so every TTL here runs on one clock.
    long origin = clock.millis();
    com.github.benmanes.caffeine.cache.Ticker ticker = () -> java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(clock.millis() - origin);
    this.streams =
        Caffeine.newBuilder()
            .ticker(ticker)
            .maximumSize(10_000)
            .expireAfter(new StreamLifetime(settings.streamTtl(), clock))
            .build();
    this.searches = Caffeine.newBuilder().ticker(ticker).maximumSize(1_000).expireAfterWrite(settings.searchTtl()).build();
  }

  /**
   * Builds a resolver with its helpers: the egress proxy the programs it runs connect through, yt-dlp
   * and ffprobe.
   */
  public static MediaResolver create(
      ActorSystem<?> system,
      Upstream upstream,
      EgressProxy egress,
      String ytDlpExecutable,
      String ffprobeExecutable,
      Duration probeTimeout,
      Optional<LinkMetadataStore> metadata,
      Settings settings,
      InstantSource clock) {
    ExternalProgram programs = new ExternalProgram(system);
    return new MediaResolver(
        system,
        upstream,
        new YtDlp(programs, ytDlpExecutable, egress.url(), settings.timeout(), settings.playlistCap()),
        new MediaProbe(programs, ffprobeExecutable, egress.url(), probeTimeout),
        metadata,
        settings,
        clock);
  }

  // --- the public side ---------------------------------------------------------------------------

  /** The playable streams of a link (shared by concurrent callers, kept while they last). */
  public CompletionStage<ResolvedMedia> resolve(String url) {
    URI uri;
    try {
      uri = upstream.guard().checkUrl(url);
    } catch (DestinationGuard.NotAUrl e) {
      return CompletableFuture.failedFuture(new ResolveFailure(ResolveFailure.Code.NOT_A_URL));
    } catch (BlockedDestination e) {
      return CompletableFuture.failedFuture(new ResolveFailure(ResolveFailure.Code.BLOCKED_DESTINATION, e.getMessage()));
    }
    return shared(uri.toString(), streams, resolving, () -> resolveUncached(uri));
  }

  /**
   * A value from {@code cache}, or from the one computation under way for {@code key}, or from a
   * new one whose success is cached. Failures are not kept: the next request tries again.
   */
  static <V> CompletionStage<V> shared(
      String key, Cache<String, V> cache, ConcurrentHashMap<String, CompletableFuture<V>> running,
      java.util.function.Supplier<CompletionStage<V>> compute) {
    V cached = cache.getIfPresent(key);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> theirs = running.putIfAbsent(key, mine);
    if (theirs != null) {
      return theirs;
    }
    CompletionStage<V> computed;
    try {
      computed = compute.get();
    } catch (RuntimeException e) {
      // a computation that throws instead of failing its stage must not stay "under way"
      computed = CompletableFuture.failedFuture(e);
    }
    computed.whenComplete(
        (value, failure) -> {
          if (failure == null && value != null) {
            cache.put(key, value);
          }
          running.remove(key, mine);
          if (failure == null) {
            mine.complete(value);
          } else {
            mine.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
          }
        });
    return mine;
  }

  /** Forgets a link's streams and resolves it again: its stream URLs expired early. */
  public CompletionStage<ResolvedMedia> refresh(String url) {
    streams.invalidate(url);
    return resolve(url);
  }

  /**
   * What a link is, to queue it: from the metadata kept per (service, id) when it is fresh,
   * otherwise by resolving it. A playlist gives its entries, at most the playlist cap.
   */
  public CompletionStage<List<LinkInfo>> inspect(String url) {
    URI uri;
    try {
      uri = upstream.guard().checkUrl(url);
    } catch (DestinationGuard.NotAUrl e) {
      return CompletableFuture.failedFuture(new ResolveFailure(ResolveFailure.Code.NOT_A_URL));
    } catch (BlockedDestination e) {
      return CompletableFuture.failedFuture(new ResolveFailure(ResolveFailure.Code.BLOCKED_DESTINATION, e.getMessage()));
    }
    if (isYouTubePlaylist(uri)) {
      return ytDlp.playlist(uri, settings.playlistCap())
          .thenApply(entries -> entries.stream()
              .limit(settings.playlistCap())
              .map(e -> new LinkInfo(e.url(), e.title(), e.duration(), e.thumbnail()))
              .toList());
    }
    String[] key = metadataKey(uri);
    return CompletableFuture.supplyAsync(() -> metadata.flatMap(m -> m.find(key[0], key[1])), blocking)
        .thenCompose(
            stored -> {
              long now = clock.millis();
              if (stored.isPresent() && now - stored.get().fetchedAt() < settings.metadataTtl().toMillis()) {
                return CompletableFuture.completedFuture(List.of(stored.get().info()));
              }
              // Video sites describe their videos by oEmbed, which is cheaper than an extractor run;
              // their streams are resolved when the video is played.
              CompletionStage<LinkInfo> described =
                  oEmbedEndpoint(uri.getHost().toLowerCase(Locale.ROOT)).isPresent()
                      ? oEmbed(uri).thenApply(e -> e.map(j -> new LinkInfo(uri.toString(), j.path("title").asText(null),
                              j.path("duration").isNumber() ? j.path("duration").asDouble() : null, j.path("thumbnail_url").asText(null)))
                          .orElseThrow(() -> new CompletionException(new ResolveFailure(ResolveFailure.Code.NOT_FOUND))))
                      : resolve(uri.toString()).thenApply(media -> new LinkInfo(uri.toString(), media.title(), media.duration(), media.thumbnail()));
              return described
                  .<List<LinkInfo>>thenApply(
                      info -> {
                        metadata.ifPresent(m -> CompletableFuture.runAsync(() -> m.save(key[0], key[1], info, now), blocking));
                        return List.of(info);
                      })
                  .exceptionally(
                      failure -> {
                        // A list of videos: its entries are queued one by one.
                        if (unwrap(failure) instanceof PlaylistLink list) {
                          return list.entries;
                        }
                        throw new CompletionException(unwrap(failure));
                      });
            });
  }

  /** Search results (through yt-dlp's YouTube search), kept for the search TTL. */
  public CompletionStage<List<LinkInfo>> search(String query) {
    String q = query.strip();
    return shared(
        q.toLowerCase(Locale.ROOT),
        searches,
        searching,
        () ->
            ytDlp.search(q, settings.searchResults())
                .thenApply(entries -> entries.stream().map(e -> new LinkInfo(e.url(), e.title(), e.duration(), e.thumbnail())).toList()));
  }

  // --- choosing how ------------------------------------------------------------------------------

  private CompletionStage<ResolvedMedia> resolveUncached(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String path = uri.getPath() == null ? "" : uri.getPath();
    String extension = extension(path);
    CompletionStage<ResolvedMedia> resolved;
    if (extension.equals("m3u8") || extension.equals("mpd")) {
      resolved = manifest(uri);
    } else if (PEERTUBE_WATCH.matcher(path).matches()) {
      resolved = peerTube(uri);
    } else if (oEmbedEndpoint(host).isPresent()) {
      resolved = videoSite(uri, host);
    } else if (FILE_EXTENSIONS.contains(extension)) {
      resolved = file(uri);
    } else {
      resolved = sniff(uri);
    }
    return resolved.exceptionally(failure -> {
      throw new CompletionException(asResolveFailure(failure));
    });
  }

  private CompletionStage<ResolvedMedia> manifest(URI uri) {
    return upstream
        .text(uri, List.of(), MAX_TEXT_BYTES)
        .thenCompose(text -> manifestFrom(uri, text, null, null, null));
  }

  private CompletionStage<ResolvedMedia> manifestFrom(URI source, Upstream.Text text, String title, String thumbnail, String[] key) {
    String kind = ManifestInspector.manifestKind(text.contentType(), text.uri());
    boolean hls = ManifestInspector.looksLikeHls(text.body()) || ("hls".equals(kind) && !ManifestInspector.looksLikeDash(text.body()));
    CompletionStage<ManifestInspector.Findings> findings;
    try {
      findings = hls
          ? ManifestInspector.hls(text, upstream)
          : CompletableFuture.completedFuture(ManifestInspector.dash(text.body()));
    } catch (ResolveFailure e) {
      return CompletableFuture.failedFuture(e);
    }
    return findings.thenApply(
        f -> {
          if (f.drm()) {
            throw new CompletionException(new ResolveFailure(ResolveFailure.Code.DRM));
          }
          if (f.live()) {
            throw new CompletionException(new ResolveFailure(ResolveFailure.Code.LIVE_NOT_SUPPORTED));
          }
          String[] id = key != null ? key : new String[] {hls ? "hls" : "dash", text.uri().toString()};
          return new ResolvedMedia(hls ? ResolvedMedia.Kind.HLS : ResolvedMedia.Kind.DASH, source, id[0], id[1],
              title != null ? title : fileTitle(text.uri()), f.duration(), thumbnail, text.uri(), null, f.qualities(),
              true, StreamExpiry.of(text.uri()));
        });
  }

  private CompletionStage<ResolvedMedia> peerTube(URI uri) {
    Matcher m = PEERTUBE_WATCH.matcher(uri.getPath());
    m.matches();
    String id = m.group(1);
    URI api = uri.resolve("/api/v1/videos/" + id);
    return upstream
        .text(api, List.of(), MAX_TEXT_BYTES)
        .exceptionally(failure -> {
          Throwable cause = unwrap(failure);
          if (cause instanceof Upstream.Failed f && (f.status == 401 || f.status == 403)) {
            throw new CompletionException(new ResolveFailure(ResolveFailure.Code.PRIVATE));
          }
          throw new CompletionException(cause);
        })
        .thenCompose(
            text -> {
              JsonNode video;
              try {
                video = mapper.readTree(text.body());
              } catch (java.io.IOException e) {
                throw new CompletionException(new ResolveFailure(ResolveFailure.Code.EXTRACTOR_FAILED));
              }
              if (video.path("isLive").asBoolean(false)) {
                throw new CompletionException(new ResolveFailure(ResolveFailure.Code.LIVE_NOT_SUPPORTED));
              }
              String title = video.path("name").asText(null);
              Double duration = video.path("duration").isNumber() ? video.path("duration").asDouble() : null;
              String thumbnail = video.hasNonNull("thumbnailPath") ? uri.resolve(video.path("thumbnailPath").asText()).toString() : null;
              String[] key = {"peertube", uri.getHost() + "/" + id};
              JsonNode playlists = video.path("streamingPlaylists");
              if (playlists.isArray() && playlists.size() > 0 && playlists.get(0).hasNonNull("playlistUrl")) {
                URI master = URI.create(playlists.get(0).path("playlistUrl").asText());
                return upstream.text(master, List.of(), MAX_TEXT_BYTES)
                    .thenCompose(t -> manifestFrom(uri, t, title, thumbnail, key))
                    .thenApply(media -> media.withMetadata(null, duration, null));
              }
              JsonNode best = null;
              for (JsonNode file : video.path("files")) {
                int height = file.path("resolution").path("id").asInt(0);
                if (height <= FormatChoice.MAX_HEIGHT && (best == null || height > best.path("resolution").path("id").asInt(0))) {
                  best = file;
                }
              }
              if (best == null || !best.hasNonNull("fileUrl")) {
                throw new CompletionException(new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT));
              }
              URI file = URI.create(best.path("fileUrl").asText());
              return CompletableFuture.completedFuture(
                  new ResolvedMedia(ResolvedMedia.Kind.DIRECT, uri, key[0], key[1], title, duration, thumbnail, file, null,
                      List.of(), settings.proxyDirectFiles(), Long.MAX_VALUE));
            });
  }

  /**
   * A link yt-dlp answered with a list of videos: not one thing to play, but its entries (at most
   * the playlist cap) to queue.
   */
  static final class PlaylistLink extends ResolveFailure {
    final transient List<LinkInfo> entries;

    PlaylistLink(List<LinkInfo> entries) {
      super(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "This link is a list of videos: add it to the queue to get each of them.");
      this.entries = entries;
    }
  }

  private ResolvedMedia chosen(JsonNode info, URI uri, String service, String id) {
    if (YtDlp.isPlaylist(info)) {
      List<LinkInfo> entries = YtDlp.entries(info).stream()
          .limit(settings.playlistCap())
          .map(e -> new LinkInfo(e.url(), e.title(), e.duration(), e.thumbnail()))
          .toList();
      throw new CompletionException(entries.isEmpty() ? new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT) : new PlaylistLink(entries));
    }
    try {
      return FormatChoice.choose(info, uri, service, id);
    } catch (ResolveFailure failure) {
      throw new CompletionException(failure);
    }
  }

  /** YouTube, Vimeo, Dailymotion: metadata from oEmbed, streams from yt-dlp. */
  private CompletionStage<ResolvedMedia> videoSite(URI uri, String host) {
    String[] key = metadataKey(uri);
    return ytDlp.info(uri)
        .thenCombine(oEmbed(uri), (info, embed) -> {
          ResolvedMedia media = chosen(info, uri, key[0], key[1]);
          return embed.map(e -> media.withMetadata(
                  e.path("title").asText(null),
                  e.path("duration").isNumber() ? e.path("duration").asDouble() : null,
                  e.path("thumbnail_url").asText(null)))
              .orElse(media);
        })
        .thenCompose(this::withSplitLayout);
  }

  /** A file: check what the server says it is and what it starts with, then ffprobe it. */
  private CompletionStage<ResolvedMedia> file(URI uri) {
    return upstream
        .get(uri, List.of(Range.create(RangeUnits.BYTES, ByteRange.createSlice(0, 4095))))
        .thenCompose(
            r -> {
              int status = r.response().status().intValue();
              if (status >= 400) {
                r.response().discardEntityBytes(system);
                throw new CompletionException(failureForStatus(status));
              }
              String type = r.response().entity().getContentType().mediaType().toString().toLowerCase(Locale.ROOT);
              return r.response().entity().withSizeLimit(1024 * 1024).toStrict(settings.timeout().toMillis(), system)
                  .thenCompose(head -> fromHead(uri, r.uri(), type, head.getData()));
            });
  }

  /** No telling extension: the response decides between a file, a manifest and a web page. */
  private CompletionStage<ResolvedMedia> sniff(URI uri) {
    return upstream
        .get(uri, List.of(Range.create(RangeUnits.BYTES, ByteRange.createSlice(0, 4095))))
        .thenCompose(
            r -> {
              int status = r.response().status().intValue();
              if (status >= 400) {
                r.response().discardEntityBytes(system);
                throw new CompletionException(failureForStatus(status));
              }
              String type = r.response().entity().getContentType().mediaType().toString().toLowerCase(Locale.ROOT);
              if (type.startsWith("text/html") || type.startsWith("application/xhtml")) {
                r.response().discardEntityBytes(system);
                return generic(uri);
              }
              return r.response().entity().withSizeLimit(1024 * 1024).toStrict(settings.timeout().toMillis(), system)
                  .thenCompose(head -> fromHead(uri, r.uri(), type, head.getData()));
            });
  }

  private CompletionStage<ResolvedMedia> fromHead(URI source, URI finalUri, String contentType, ByteString head) {
    String text = head.take(512).utf8String();
    if (contentType.contains("mpegurl") || contentType.contains("dash+xml") || ManifestInspector.looksLikeHls(text)
        || (text.contains("<MPD") && !contentType.startsWith("video"))) {
      return manifest(finalUri);
    }
    String sniffed = sniffContainer(head);
    if (sniffed == null && !(contentType.startsWith("video/") || contentType.startsWith("audio/"))) {
      if (contentType.startsWith("text/") || text.stripLeading().startsWith("<")) {
        return generic(source);
      }
      return CompletableFuture.failedFuture(new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "This link is not a video."));
    }
    if (sniffed == null) {
      return CompletableFuture.failedFuture(
          new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "The file is not a video a browser can play."));
    }
    return probe
        .probe(finalUri)
        .thenApply(
            p -> {
              if (!MediaProbe.browserPlayable(p)) {
                throw new CompletionException(new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT,
                    "Browsers cannot play this file (" + (p.videoCodec() != null ? p.videoCodec() : "") + (p.audioCodec() != null ? " " + p.audioCodec() : "") + ")."));
              }
              List<ResolvedMedia.Quality> qualities = p.height() == null ? List.of()
                  : List.of(new ResolvedMedia.Quality(p.height() + "p", p.width(), p.height(), null, p.videoCodec()));
              return new ResolvedMedia(ResolvedMedia.Kind.DIRECT, source, "file", finalUri.toString(), fileTitle(finalUri),
                  p.duration(), null, finalUri, null, qualities, settings.proxyDirectFiles(), StreamExpiry.of(finalUri));
            });
  }

  /** Any other page: yt-dlp's extractors (the generic one finds video elements and embeds). */
  private CompletionStage<ResolvedMedia> generic(URI uri) {
    return ytDlp.info(uri)
        .thenApply(
            info -> {
              String service = info.path("extractor_key").asText("generic").toLowerCase(Locale.ROOT);
              String id = info.path("id").asText(uri.toString());
              return chosen(info, uri, service, id);
            })
        .thenCompose(this::withSplitLayout);
  }

  /** Separate audio and video need their MP4 index ranges for the manifest Watchroom writes. */
  private CompletionStage<ResolvedMedia> withSplitLayout(ResolvedMedia media) {
    if (media.kind() != ResolvedMedia.Kind.SPLIT) {
      return CompletableFuture.completedFuture(media);
    }
    ResolvedMedia.Split split = media.split();
    return Mp4Boxes.read(system, upstream, split.video())
        .thenCombine(Mp4Boxes.read(system, upstream, split.audio()), (v, a) -> media.withSplit(split.withLayouts(v, a)));
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** The site's oEmbed description of a video; empty when it has none to give. */
  private CompletionStage<Optional<JsonNode>> oEmbed(URI uri) {
    String endpoint = oEmbedEndpoint(uri.getHost().toLowerCase(Locale.ROOT)).orElseThrow();
    return upstream
        .text(URI.create(endpoint + "?format=json&url=" + URLEncoder.encode(uri.toString(), StandardCharsets.UTF_8)), List.of(), 256 * 1024)
        .thenApply(t -> {
          try {
            return Optional.of(mapper.readTree(t.body()));
          } catch (java.io.IOException e) {
            return Optional.<JsonNode>empty();
          }
        })
        .exceptionally(failure -> Optional.empty());
  }

  private Optional<String> oEmbedEndpoint(String host) {
    String h = host.startsWith("www.") ? host.substring(4) : host.startsWith("m.") ? host.substring(2) : host;
    if (h.equals("youtube.com") || h.equals("youtu.be") || h.equals("music.youtube.com")) {
      return Optional.of(settings.youtubeOEmbed());
    }
    if (h.equals("vimeo.com") || h.equals("player.vimeo.com")) {
      return Optional.of(settings.vimeoOEmbed());
    }
    if (h.equals("dailymotion.com") || h.equals("dai.ly")) {
      return Optional.of(settings.dailymotionOEmbed());
    }
    return Optional.empty();
  }

  private static boolean isYouTubePlaylist(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    return host.endsWith("youtube.com") && query.contains("list=") && !query.contains("v=");
  }

  /** The (service, id) a link's metadata is kept under. */
  static String[] metadataKey(URI uri) {
    String text = uri.toString();
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    Matcher m;
    if (host.contains("youtube.com") || host.equals("youtu.be")) {
      m = YOUTUBE_ID.matcher(text);
      if (m.find()) {
        return new String[] {"youtube", m.group(1)};
      }
    }
    m = VIMEO_ID.matcher(text);
    if (host.contains("vimeo.com") && m.find()) {
      return new String[] {"vimeo", m.group(1)};
    }
    m = DAILYMOTION_ID.matcher(text);
    if ((host.contains("dailymotion.com") || host.equals("dai.ly")) && m.find()) {
      return new String[] {"dailymotion", m.group(1)};
    }
    m = PEERTUBE_WATCH.matcher(uri.getPath() == null ? "" : uri.getPath());
    if (m.matches()) {
      return new String[] {"peertube", host + "/" + m.group(1)};
    }
    return new String[] {"url", text.length() > 512 ? text.substring(0, 512) : text};
  }

  /** ISO BMFF, Matroska/WebM, Ogg, MP3, FLAC, WAV by their first bytes. */
  static String sniffContainer(ByteString head) {
    if (head.size() >= 12 && head.slice(4, 8).utf8String().equals("ftyp")) {
      return "mp4";
    }
    if (head.size() >= 4 && (head.apply(0) & 0xff) == 0x1a && (head.apply(1) & 0xff) == 0x45 && (head.apply(2) & 0xff) == 0xdf && (head.apply(3) & 0xff) == 0xa3) {
      return "matroska";
    }
    String start = head.take(4).decodeString(StandardCharsets.ISO_8859_1);
    if (start.equals("OggS")) {
      return "ogg";
    }
    if (start.startsWith("ID3") || (head.size() >= 2 && (head.apply(0) & 0xff) == 0xff && (head.apply(1) & 0xe0) == 0xe0)) {
      return "mp3";
    }
    if (start.equals("fLaC")) {
      return "flac";
    }
    if (start.equals("RIFF")) {
      return "wav";
    }
    return null;
  }

  private static ResolveFailure failureForStatus(int status) {
    if (status == 404 || status == 410) {
      return new ResolveFailure(ResolveFailure.Code.NOT_FOUND);
    }
    if (status == 401 || status == 403) {
      return new ResolveFailure(ResolveFailure.Code.PRIVATE);
    }
    if (status == 429) {
      return new ResolveFailure(ResolveFailure.Code.UPSTREAM_RATE_LIMITED);
    }
    if (status == 451) {
      return new ResolveFailure(ResolveFailure.Code.GEO_BLOCKED);
    }
    return new ResolveFailure(ResolveFailure.Code.NOT_FOUND, "The link answered with an error (" + status + ").");
  }

  static ResolveFailure asResolveFailure(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ResolveFailure r) {
      return r;
    }
    if (cause instanceof BlockedDestination b) {
      return new ResolveFailure(ResolveFailure.Code.BLOCKED_DESTINATION, b.getMessage());
    }
    if (cause instanceof DestinationGuard.NotAUrl) {
      return new ResolveFailure(ResolveFailure.Code.NOT_A_URL);
    }
    if (cause instanceof Upstream.Failed f) {
      return failureForStatus(f.status);
    }
    if (cause instanceof java.util.concurrent.TimeoutException
        || (cause != null && cause.getClass().getSimpleName().contains("Timeout"))) {
      return new ResolveFailure(ResolveFailure.Code.PROBE_TIMEOUT);
    }
    if (cause instanceof org.apache.pekko.stream.StreamTcpException tcp) {
      String message = String.valueOf(tcp.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("timed out") || message.contains("timeout")) {
        return new ResolveFailure(ResolveFailure.Code.PROBE_TIMEOUT);
      }
      if (message.contains("tcp command") || message.contains("refused") || message.contains("unreachable")) {
        return new ResolveFailure(ResolveFailure.Code.NOT_FOUND, "The link's server could not be reached.");
      }
      return new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "The link's server broke off its answer.");
    }
    if (cause instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
      return new ResolveFailure(ResolveFailure.Code.NO_PLAYABLE_FORMAT, "The link answered with far more than a video description.");
    }
    org.slf4j.LoggerFactory.getLogger(MediaResolver.class).warn("A link could not be read", cause);
    return new ResolveFailure(ResolveFailure.Code.EXTRACTOR_FAILED,
        "The link could not be read (" + (cause == null ? "unknown error" : cause.getClass().getSimpleName()) + ").");
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String extension(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static String fileTitle(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.isBlank() ? uri.getHost() : java.net.URLDecoder.decode(last, StandardCharsets.UTF_8);
  }

  /** Resolved streams live for the stream TTL, or until a minute before the URL says it expires. */
  private record StreamLifetime(Duration ttl, InstantSource clock) implements Expiry<String, ResolvedMedia> {
    @Override
    public long expireAfterCreate(String key, ResolvedMedia value, long currentTime) {
      long byUrl = value.expiresAt() == Long.MAX_VALUE ? Long.MAX_VALUE : value.expiresAt() - clock.millis() - 60_000;
      return Duration.ofMillis(Math.max(0, Math.min(ttl.toMillis(), byUrl))).toNanos();
    }

    @Override
    public long expireAfterUpdate(String key, ResolvedMedia value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(String key, ResolvedMedia value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
