package io.watchroom.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.core.Rejection;
import io.watchroom.http.protocol.ErrorBody;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure of the JSON API into {@code {"code", "message"}} with a fitting status, so
 * clients never have to parse Pekko's plain-text defaults.
 */
public final class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private final ObjectMapper mapper;

  public ApiErrors(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  HttpResponse response(StatusCode status, String code, String message) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(
            HttpEntities.create(
                ContentTypes.APPLICATION_JSON, Json.write(mapper, new ErrorBody(code, message))));
  }

  public Route complete(StatusCode status, String code, String message) {
    return org.apache.pekko.http.javadsl.server.Directives.complete(response(status, code, message));
  }

  /** The answer to a failed ask to a room. */
  public Route failure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof ApiProblem problem) {
      return complete(problem.status(), problem.code(), problem.getMessage());
    }
    if (cause instanceof Rejection rejection) {
      return rejected(rejection);
    }
    if (cause instanceof TimeoutException) {
      return complete(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", "The room did not answer in time; try again.");
    }
    log.warn("Request failed", cause);
    return complete(StatusCodes.INTERNAL_SERVER_ERROR, "internal", "Something went wrong on the server.");
  }

  /** An entity's refusal (a room's, a video's), with the status its code stands for. */
  public Route rejected(Rejection rejection) {
    StatusCode status =
        switch (rejection.code()) {
          case Rejection.NOT_FOUND -> StatusCodes.NOT_FOUND;
          case Rejection.FORBIDDEN, Rejection.BANNED -> StatusCodes.FORBIDDEN;
          case Rejection.TOO_LARGE -> StatusCodes.PAYLOAD_TOO_LARGE;
          case Rejection.ALREADY_EXISTS, Rejection.OFFSET_MISMATCH, Rejection.WRONG_STATE -> StatusCodes.CONFLICT;
          default -> StatusCodes.BAD_REQUEST;
        };
    return complete(status, rejection.code(), rejection.getMessage());
  }

  ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .match(
            EntityStreamSizeException.class,
            e -> complete(StatusCodes.PAYLOAD_TOO_LARGE, "too_large", "The request body is too large."))
        .match(Throwable.class, this::failure)
        .build();
  }

  /** Pekko's standard rejections, with their status kept and their body in our error shape. */
  RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler()
        .mapRejectionResponse(
            response -> {
              if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
                return response;
              }
              String code =
                  switch (response.status().intValue()) {
                    case 404 -> "not_found";
                    case 405 -> "method_not_allowed";
                    case 413 -> "too_large";
                    case 415 -> "unsupported_media_type";
                    default -> response.status().intValue() >= 500 ? "internal" : "bad_request";
                  };
              String message = response.status().reason() + ".";
              if (response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict) {
                String text = strict.getData().utf8String().strip();
                if (!text.isEmpty()) {
                  message = text;
                }
              }
              return response.withEntity(
                  HttpEntities.create(
                      ContentTypes.APPLICATION_JSON, Json.write(mapper, new ErrorBody(code, message))));
            });
  }
}
