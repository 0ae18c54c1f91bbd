package io.watchroom.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds the node's HTTP surface: the JSON API and WebSockets under /api (the route groups the
 * node assembles: sessions, rooms, videos, links), with errors in one JSON shape; the web client
 * everywhere else.
 */
public final class WatchroomHttpServer {

  private final ActorSystem<?> system;
  private final HttpSettings settings;
  private final List<Route> api;

  public WatchroomHttpServer(ActorSystem<?> system, HttpSettings settings, List<Route> api) {
    this.system = system;
    this.settings = settings;
    this.api = List.copyOf(api);
  }

  public Route routes() {
    ApiErrors errors = new ApiErrors(Json.mapper(system));
    Route apiRoutes =
        pathPrefix(
            "api",
            () ->
                handleExceptions(
                    errors.exceptionHandler(),
                    () -> handleRejections(errors.rejectionHandler(), () -> concat(api.get(0), api.subList(1, api.size()).toArray(Route[]::new)))));
    return concat(apiRoutes, new FrontendRoutes().routes());
  }

  public CompletionStage<ServerBinding> start() {
    return Http.get(system)
        .newServerAt(settings.interfaceName(), settings.port())
        .bind(routes());
  }
}
