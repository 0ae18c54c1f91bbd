package io.watchroom.extraction;

import java.util.Locale;

/** Why a pasted link cannot be played: a stable code and a sentence for the person who pasted it. */
public class ResolveFailure extends Exception {

  public enum Code {
    NOT_A_URL("This is not a link: paste an address starting with http:// or https://."),
    UNSUPPORTED_SITE("Watchroom cannot play videos from this page."),
    BLOCKED_DESTINATION("The server does not fetch from that address."),
    NOT_FOUND("The video was not found; the link may be wrong or the video removed."),
    PRIVATE("The video is private or needs a login."),
    AGE_RESTRICTED("The video is age-restricted and needs a login."),
    GEO_BLOCKED("The video is not available in the server's country."),
    DRM("The video is protected by DRM, which Watchroom cannot play."),
    LIVE_NOT_SUPPORTED("Live streams cannot be watched in sync yet."),
    NO_PLAYABLE_FORMAT("None of the video's formats can be played by a browser."),
    PROBE_TIMEOUT("The video took too long to answer; try again."),
    UPSTREAM_RATE_LIMITED("The video site is limiting requests; try again in a while."),
    EXTRACTOR_FAILED("Reading the video's page failed; the site may have changed."),
    LINK_EXPIRED("The video's link expired and could not be renewed.");

    private final String sentence;

    Code(String sentence) {
      this.sentence = sentence;
    }

    public String sentence() {
      return sentence;
    }

    /** As on the wire: {@code not_a_url}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Code code;

  public ResolveFailure(Code code) {
    this(code, code.sentence());
  }

  public ResolveFailure(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
