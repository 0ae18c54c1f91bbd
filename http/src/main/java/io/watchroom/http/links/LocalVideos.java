package io.watchroom.http.links;

import io.watchroom.core.video.Video;
import io.watchroom.extraction.LinkInfo;
import io.watchroom.extraction.ResolveFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Videos uploaded to this Watchroom, recognized by their master playlist's path whatever host a
 * link names (the node may be reached under several): described by the video itself (not the
 * catalog, which may not have caught up with a video published a moment ago) and played from the
 * node, never fetched through the resolver.
 */
public final class LocalVideos {

  private static final Pattern MASTER = Pattern.compile("^/api/videos/([A-Za-z0-9_-]{6,40})/media/master\\.m3u8$");

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public LocalVideos(ClusterSharding sharding, Duration askTimeout) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
  }

  /** The uploaded video a link points at, if it points at one. */
  public static Optional<String> videoId(String url) {
    try {
      URI uri = new URI(url.strip());
      Matcher m = MASTER.matcher(uri.getPath() == null ? "" : uri.getPath());
      return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** The node-relative address the video plays from. */
  public static String playPath(String videoId) {
    return "/api/videos/" + videoId + "/media/master.m3u8";
  }

  public CompletionStage<LinkInfo> describe(String url, String videoId) {
    if (!Video.isWellFormedId(videoId)) {
      return java.util.concurrent.CompletableFuture.failedFuture(notHere());
    }
    return sharding
        .entityRefFor(Video.ENTITY_KEY, videoId)
        .<Video.Status>askWithStatus(Video.Get::new, askTimeout)
        .thenApply(status -> {
          if (status.state() instanceof Video.Ready ready) {
            // Beside the master playlist, on whichever host the link named.
            String poster = ready.media().poster() == null ? null : URI.create(url.strip()).resolve(ready.media().poster()).toString();
            return new LinkInfo(url, ready.info().title(), ready.probe().duration(), poster);
          }
          throw new CompletionException(notHere());
        });
  }

  private static ResolveFailure notHere() {
    return new ResolveFailure(ResolveFailure.Code.NOT_FOUND, "That uploaded video does not exist here or is not ready yet.");
  }
}
