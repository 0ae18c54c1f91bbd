package io.watchroom.core.video;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.watchroom.core.JsonSerializable;

/**
 * Why a video refused a command: a stable {@code code} for programs and a sentence for people. It
 * is the error of a {@code StatusReply} and crosses nodes, so it carries no stack trace.
 */
@JsonAutoDetect(
    fieldVisibility = Visibility.NONE,
    getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
@JsonIgnoreProperties(
    value = {"stackTrace", "localizedMessage", "suppressed", "cause"},
    ignoreUnknown = true)
public final class VideoRejection extends RuntimeException implements JsonSerializable {

  public static final String NOT_FOUND = "not_found";
  public static final String INVALID = "invalid";
  public static final String ALREADY_EXISTS = "already_exists";
  /** tus: the client's offset is not where the upload stands. */
  public static final String OFFSET_MISMATCH = "offset_mismatch";
  public static final String TOO_LARGE = "too_large";
  /** The video is past the stage the command belongs to (e.g. a chunk after the upload ended). */
  public static final String WRONG_STATE = "wrong_state";
  public static final String FORBIDDEN = "forbidden";

  private final String code;

  @JsonCreator
  public VideoRejection(@JsonProperty("code") String code, @JsonProperty("message") String message) {
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
    return "VideoRejection[" + code + ": " + getMessage() + "]";
  }
}
