package io.watchroom.core.room;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.watchroom.core.JsonSerializable;

/**
 * Why a room refused a command: a stable {@code code} for programs and a sentence for people. It is
 * the error of a {@code StatusReply}, so it crosses nodes; it carries no stack trace because it is
 * an answer, not a fault.
 */
// Only code and message travel: Throwable's own fields are not part of the answer.
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
@JsonIgnoreProperties(
    value = {"stackTrace", "localizedMessage", "suppressed", "cause"},
    ignoreUnknown = true)
public final class RoomRejection extends RuntimeException implements JsonSerializable {

  public static final String NOT_FOUND = "not_found";
  public static final String INVALID = "invalid";
  public static final String NOT_JOINED = "not_joined";
  public static final String NO_MEDIA = "no_media";
  public static final String ALREADY_EXISTS = "already_exists";
  public static final String FORBIDDEN = "forbidden";
  public static final String BANNED = "banned";
  public static final String RATE_LIMITED = "rate_limited";

  private final String code;

  @JsonCreator
  public RoomRejection(@JsonProperty("code") String code, @JsonProperty("message") String message) {
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
    return "RoomRejection[" + code + ": " + getMessage() + "]";
  }
}
