package io.watchroom.http.links;

import io.watchroom.extraction.LinkInfo;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a pasted link is, before it goes into a room's queue: its title, duration and picture, or
 * for a playlist its entries. Fails with {@code ResolveFailure} when the link cannot be played.
 */
public interface LinkInspector {
  CompletionStage<List<LinkInfo>> inspect(String url);
}
