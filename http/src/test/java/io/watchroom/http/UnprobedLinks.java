package io.watchroom.http;

import io.watchroom.extraction.LinkInfo;
import io.watchroom.extraction.ResolveFailure;
import io.watchroom.http.links.LinkInspector;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the resolver in the HTTP layer's tests, which are about the room protocol: a link
 * is whatever its file name says, and nothing is fetched. Links whose host starts with "fails."
 * fail, so the error path can be tested; links on "slow." hosts take as many milliseconds as the
 * first segment of their path says, so ordering and limits can be. The real resolver is tested in the extraction module and
 * on a whole node.
 */
final class UnprobedLinks implements LinkInspector {
  @Override
  public CompletionStage<List<LinkInfo>> inspect(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null || !uri.getScheme().startsWith("http")) {
        return CompletableFuture.failedFuture(new ResolveFailure(ResolveFailure.Code.NOT_A_URL));
      }
      if (uri.getHost().startsWith("fails.")) {
        return CompletableFuture.failedFuture(new ResolveFailure(ResolveFailure.Code.UNSUPPORTED_SITE));
      }
      List<LinkInfo> found = List.of(new LinkInfo(url, null, null, null));
      if (uri.getHost().startsWith("slow.")) {
        long millis = Long.parseLong(uri.getPath().split("/")[1]);
        return CompletableFuture.supplyAsync(
            () -> found, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
      }
      return CompletableFuture.completedFuture(found);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new ResolveFailure(ResolveFailure.Code.NOT_A_URL));
    }
  }
}
