package io.watchroom.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.util.List;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web client, from the frontend jar's {@code webroot/}. Pages are the single index.html (the
 * client routes by path); assets carry a content hash in their names and are cached for a year.
 */
public final class FrontendRoutes {

  private static final String ROOT = "webroot";

  public Route routes() {
    return concat(
        pathSingleSlash(() -> get(this::index)),
        // The client routes /rooms/{id} and the pages under it (history) itself.
        pathPrefix("rooms", () -> pathPrefix(PathMatchers.segment(), id -> get(this::index))),
        path("upload", () -> get(this::index)),
        path("library", () -> get(this::index)),
        pathPrefix(
            "assets",
            () ->
                respondWithHeaders(
                    List.of(
                        CacheControl.create(
                            CacheDirectives.PUBLIC,
                            CacheDirectives.MAX_AGE(31_536_000),
                            CacheDirectives.IMMUTABLE)),
                    () -> get(() -> getFromResourceDirectory(ROOT + "/assets")))),
        path(
            PathMatchers.segment(),
            file -> get(() -> getFromResource(ROOT + "/" + file))));
  }

  private Route index() {
    return respondWithHeader(
        CacheControl.create(CacheDirectives.NO_CACHE),
        () -> getFromResource(ROOT + "/index.html"));
  }
}
