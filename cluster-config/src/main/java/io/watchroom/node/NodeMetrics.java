package io.watchroom.node;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.typesafe.config.Config;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import kamon.Kamon;
import kamon.prometheus.PrometheusReporter;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Kamon for one node: started before the actor system (its agent must instrument Pekko's classes
 * before they load), with the Prometheus reporter's scrape data served on the metrics port by Pekko
 * HTTP, so tests can bind port 0 and learn the port.
 */
final class NodeMetrics {
  private NodeMetrics() {}

  private static final AtomicBoolean started = new AtomicBoolean(false);
  private static final ContentType.NonBinary PROMETHEUS =
      MediaTypes.TEXT_PLAIN.toContentType(HttpCharsets.UTF_8);

  /** Starts Kamon once per JVM; several nodes in one JVM (tests) share it. */
  static void init(Config config) {
    if (!config.getBoolean("watchroom.metrics.enabled") || !started.compareAndSet(false, true)) {
      return;
    }
    if (config.getBoolean("watchroom.metrics.instrumentation")) {
      Kamon.init(config);
    } else {
      Kamon.initWithoutAttaching(config);
    }
  }

  private static HttpResponse scrape() {
    String data = PrometheusReporter.latestScrapeData().getOrElse(() -> "");
    return HttpResponse.create().withEntity(HttpEntities.create(PROMETHEUS, data));
  }

  static CompletionStage<ServerBinding> serve(ActorSystem<?> system, Config config) {
    Route route =
        path("metrics", () -> get(() -> complete(scrape())));
    return Http.get(system)
        .newServerAt(
            config.getString("watchroom.metrics.interface"), config.getInt("watchroom.metrics.port"))
        .bind(route);
  }
}
