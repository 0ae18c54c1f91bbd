package io.watchroom.http.links;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.extraction.ResolveFailure;
import io.watchroom.http.ApiErrors;
import io.watchroom.http.ApiProblem;
import io.watchroom.http.HttpSettings;
import io.watchroom.http.Json;
import io.watchroom.http.RequestBody;
import io.watchroom.http.auth.AttemptLimiter;
import io.watchroom.http.auth.Authentication;
import io.watchroom.extraction.ProxyTokens;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /api/resolve} (what a link is and how to play it), {@code GET /api/search} (videos
 * to add), and {@code GET /api/proxy/{token}/...} (media through the server). Resolving and
 * searching need a session and are rate limited per user, since each may run an extractor.
 */
public final class LinkRoutes {

  private static final int MAX_QUERY_LENGTH = 200;

  private final Links links;
  private final Authentication authentication;
  private final HttpSettings settings;
  private final ObjectMapper mapper;
  private final ApiErrors errors;
  private final AttemptLimiter resolves = new AttemptLimiter(60, Duration.ofMinutes(1));
  private final AttemptLimiter searches = new AttemptLimiter(20, Duration.ofMinutes(1));

  public LinkRoutes(Links links, Authentication authentication, HttpSettings settings, ObjectMapper mapper) {
    this.links = links;
    this.authentication = authentication;
    this.settings = settings;
    this.mapper = mapper;
    this.errors = new ApiErrors(mapper);
  }

  public Route routes() {
    return concat(
        path("resolve", () -> post(() -> authentication.withIdentity(identity -> resolve(identity.userId())))),
        path("search", () -> get(() -> authentication.withIdentity(identity -> search(identity.userId())))),
        pathPrefix("proxy", () -> pathPrefix(PathMatchers.segment(), token -> get(() -> proxy(token)))));
  }

  private Route resolve(String userId) {
    return withSizeLimit(
        settings.maxRequestBytes(),
        () ->
            extractStrictEntity(
                settings.askTimeout(),
                entity -> {
                  if (!resolves.tryAcquire(userId)) {
                    throw ApiProblem.rateLimited();
                  }
                  String url = RequestBody.parse(entity.getData().utf8String(), mapper).string("url", true, 4096);
                  return answer(links.playable(url));
                }));
  }

  private Route search(String userId) {
    return parameter(
        "q",
        q -> {
          String query = q.strip();
          if (query.isEmpty() || query.length() > MAX_QUERY_LENGTH) {
            throw ApiProblem.invalid("q must have 1 to " + MAX_QUERY_LENGTH + " characters.");
          }
          if (!searches.tryAcquire(userId)) {
            throw ApiProblem.rateLimited();
          }
          return answer(links.resolver().search(query).thenApply(results -> Map.of("results", results)));
        });
  }

  private Route proxy(String token) {
    return extractUnmatchedPath(
        rest ->
            extractRequest(
                request ->
                    optionalHeaderValueByName(
                        "Range",
                        range ->
                            onSuccess(
                                links.proxy().serve(
                                    token,
                                    rest.startsWith("/") ? rest.substring(1) : rest,
                                    request.getUri().rawQueryString(),
                                    range),
                                this::complete))));
  }

  private Route complete(HttpResponse response) {
    return org.apache.pekko.http.javadsl.server.Directives.complete(response);
  }

  /** The value as JSON, or the resolver's reason as {@code 422 {code, message}}. */
  private Route answer(CompletionStage<?> value) {
    return onComplete(
        value,
        result -> {
          if (result.isSuccess()) {
            return complete(HttpResponse.create()
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(mapper, result.get()))));
          }
          Throwable cause = result.failed().get();
          while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
          }
          if (cause instanceof ResolveFailure failure) {
            return errors.complete(StatusCodes.UNPROCESSABLE_ENTITY, failure.code().wireName(), failure.getMessage());
          }
          return errors.failure(cause);
        });
  }

  static String proxyPrefix() {
    return ProxyTokens.PATH;
  }
}
