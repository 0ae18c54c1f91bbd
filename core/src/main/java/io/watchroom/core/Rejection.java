package io.watchroom.core;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why an entity (a room, a video) refused a command: a stable {@code code} for programs and a
 * sentence for people. It is the error of a {@code StatusReply}, so it crosses nodes; it carries
 * no stack trace because it is an answer, not a fault.
 */
// Only code and message travel: Throwable's own fields are not part of the answer.
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
@JsonIgnoreProperties(
    value = {"stackTrace", "localizedMessage", "suppressed", "cause"},
    ignoreUnknown = true)
public final class Rejection extends RuntimeException implements JsonSerializable {

  public static final String NOT_FOUND = "not_found";
  public static final String INVALID = "invalid";
  public static final String ALREADY_EXISTS = "already_exists";
  public static final String FORBIDDEN = "forbidden";

  // Rooms.
  public static final String NOT_JOINED = "not_joined";
  public static final String NO_MEDIA = "no_media";
  public static final String BANNED = "banned";
  public static final String RATE_LIMITED = "rate_limited";

  // Videos.
  /** tus: the client's offset is not where the upload stands. */
  public static final String OFFSET_MISMATCH = "offset_mismatch";
  public static final String TOO_LARGE = "too_large";
  /** The video is past the stage the command belongs to (e.g. a chunk after the upload ended). */
  public static final String WRONG_STATE = "wrong_state";

  private final String code;

  @JsonCreator
  public Rejection(@JsonProperty("code") String code, @JsonProperty("message") String message) {
    super(message, null, false, false);
    this.code = code;
  }

  @JsonProperty("code")
  public String code() {
    return code;
  }

  @Override
  @JsonProperty("message")
  public String getMessage() {
    return super.getMessage();
  }

  @Override
  public String toString() {
    return "Rejection[" + code + ": " + getMessage() + "]";
  }
}
