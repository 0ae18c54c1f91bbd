package io.watchroom.http.video;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Who is asking, for the video routes' owner checks (upload, delete). The one place a request
 * becomes an owner id, so the video routes do not depend on how sessions work.
 */
public interface OwnerIdentity {

  /**
   * The owner id of the request's sender; empty when the request carries no valid identity.
   */
  CompletionStage<Optional<String>> ownerOf(HttpRequest request);
}
