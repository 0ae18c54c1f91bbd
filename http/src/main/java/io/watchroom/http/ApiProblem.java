package io.watchroom.http;

import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A request the API refuses, with the status, stable code and sentence to answer it with. Thrown
 * from routes (or failing their futures); {@link ApiErrors} turns it into the error body.
 */
public final class ApiProblem extends RuntimeException {

  private final StatusCode status;
  private final String code;

  public ApiProblem(StatusCode status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiProblem badRequest(String message) {
    return new ApiProblem(StatusCodes.BAD_REQUEST, "bad_request", message);
  }

  public static ApiProblem invalid(String message) {
    return new ApiProblem(StatusCodes.BAD_REQUEST, "invalid", message);
  }

  public static ApiProblem unauthorized() {
    return new ApiProblem(
        StatusCodes.UNAUTHORIZED, "unauthorized", "Sign in or start a guest session first.");
  }

  public static ApiProblem forbidden(String message) {
    return new ApiProblem(StatusCodes.FORBIDDEN, "forbidden", message);
  }

  public static ApiProblem notFound(String message) {
    return new ApiProblem(StatusCodes.NOT_FOUND, "not_found", message);
  }

  public static ApiProblem rateLimited() {
    return new ApiProblem(
        StatusCodes.TOO_MANY_REQUESTS, "rate_limited", "Too many attempts; wait a few minutes.");
  }

  public StatusCode status() {
    return status;
  }

  public String code() {
    return code;
  }
}
