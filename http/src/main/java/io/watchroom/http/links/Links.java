package io.watchroom.http.links;

import io.watchroom.extraction.LinkInfo;
import io.watchroom.extraction.MediaProxy;
import io.watchroom.extraction.MediaResolver;
import io.watchroom.extraction.ProxyTokens;
import io.watchroom.extraction.ResolvedMedia;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Links as the rest of the node sees them: this node's own uploads are described and played from
 * here; everything else goes through the resolver, and what must be proxied is handed out as a
 * proxy path with a signed token.
 */
public final class Links implements LinkInspector {

  /** What a player needs to play a link (the body of {@code POST /api/resolve}). */
  public record Playable(
      String kind,
      String url,
      String title,
      Double duration,
      String thumbnail,
      String stream,
      List<ResolvedMedia.Quality> qualities,
      boolean proxied,
      boolean live) {}

  private final MediaResolver resolver;
  private final MediaProxy proxy;
  private final Optional<LocalVideos> local;

  public Links(MediaResolver resolver, MediaProxy proxy, Optional<LocalVideos> local) {
    this.resolver = resolver;
    this.proxy = proxy;
    this.local = local;
  }

  public MediaResolver resolver() {
    return resolver;
  }

  public MediaProxy proxy() {
    return proxy;
  }

  @Override
  public CompletionStage<List<LinkInfo>> inspect(String url) {
    Optional<String> video = LocalVideos.videoId(url);
    if (video.isPresent() && local.isPresent()) {
      return local.get().describe(url, video.get()).thenApply(List::of);
    }
    return resolver.inspect(url);
  }

  public CompletionStage<Playable> playable(String url) {
    Optional<String> video = LocalVideos.videoId(url);
    if (video.isPresent() && local.isPresent()) {
      return local.get()
          .describe(url, video.get())
          .thenApply(i -> new Playable("hls", url, i.title(), i.duration(), i.thumbnail(), LocalVideos.playPath(video.get()),
              List.of(), false, false));
    }
    return resolver.resolve(url).thenApply(this::playable);
  }

  private Playable playable(ResolvedMedia media) {
    ProxyTokens tokens = proxy.tokens();
    String source = media.source().toString();
    String stream =
        switch (media.kind()) {
          case SPLIT -> tokens.path(media.source(), source, ProxyTokens.Role.SPLIT, "split");
          case HLS -> tokens.path(media.stream(), source, ProxyTokens.Role.HLS, "stream");
          case DASH -> tokens.path(media.stream(), source, ProxyTokens.Role.DASH, "stream");
          case DIRECT -> media.proxied() ? tokens.path(media.stream(), source, ProxyTokens.Role.MEDIA, "stream") : media.stream().toString();
        };
    String kind = media.kind() == ResolvedMedia.Kind.SPLIT ? "dash" : media.kind().name().toLowerCase(Locale.ROOT);
    // A thumbnail on another site is shown by the browser itself, like any image on the web.
    return new Playable(kind, source, media.title(), media.duration(), media.thumbnail(), stream, media.qualities(),
        media.proxied() || media.kind() != ResolvedMedia.Kind.DIRECT, false);
  }

  static boolean isHttp(URI uri) {
    return uri.getScheme() != null && uri.getScheme().startsWith("http");
  }
}
