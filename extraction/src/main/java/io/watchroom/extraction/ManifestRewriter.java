package io.watchroom.extraction;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites manifests so a player fetches everything through the proxy. Both are rewritten line by
 * line, touching only the URIs, so tags and elements Watchroom does not know survive unchanged:
 *
 * <ul>
 *   <li>HLS: every URI line and every {@code URI="..."} attribute is resolved against the URL the
 *       playlist really came from (after redirects) and replaced by a proxy path; playlists stay
 *       playlists (to be rewritten in turn), everything else is media.
 *   <li>DASH: every {@code BaseURL} (at any level, resolved against the one above it and in the
 *       end against the URL the manifest came from) and every {@code Location} is replaced by a
 *       proxy path; a manifest without a top-level {@code BaseURL} gets the proxied folder it came
 *       from, so relative segment URLs and templates resolve through the proxy; absolute {@code
 *       media}, {@code initialization} and {@code sourceURL} values are proxied too.
 * </ul>
 */
public final class ManifestRewriter {

  private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");
  /** In a DASH manifest: comments, BaseURL and Location elements whole, and every other tag. */
  private static final Pattern DASH_TOKEN = Pattern.compile(
      "<!--.*?-->|<\\?.*?\\?>|<!\\[CDATA\\[.*?]]>"
          + "|<BaseURL(?<baseAttrs>[^>]*)>(?<baseUrl>[^<]*)</BaseURL>"
          + "|<Location(?<locationAttrs>[^>]*)>(?<location>[^<]*)</Location>"
          + "|<(?<close>/?)(?<name>[A-Za-z_][\\w.:-]*)(?<attrs>[^>]*?)(?<empty>/?)>",
      Pattern.DOTALL);
  private static final Pattern URL_ATTRIBUTE = Pattern.compile("\\b(media|initialization|sourceURL)=\"([^\"]*)\"");
  private static final List<String> PLAYLIST_TAGS =
      List.of("#EXT-X-MEDIA:", "#EXT-X-I-FRAME-STREAM-INF:", "#EXT-X-RENDITION-REPORT:");

  private final ProxyTokens tokens;

  public ManifestRewriter(ProxyTokens tokens) {
    this.tokens = tokens;
  }

  /**
   * @param segments told each media URI in order, so the proxy can fetch the next ones ahead
   */
  public String hls(String text, URI base, String source, BiConsumer<Integer, URI> segments) {
    StringBuilder out = new StringBuilder(text.length() + 1024);
    boolean nextIsPlaylist = false;
    boolean nextIsRange = false;
    int segment = 0;
    for (String line : text.split("\r?\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        boolean playlistTag = PLAYLIST_TAGS.stream().anyMatch(trimmed::startsWith);
        if (trimmed.startsWith("#EXT-X-STREAM-INF:")) {
          nextIsPlaylist = true;
        }
        if (trimmed.startsWith("#EXT-X-BYTERANGE:")) {
          // Parts of one file: fetched by range, not worth fetching ahead whole.
          nextIsRange = true;
        }
        Matcher m = URI_ATTRIBUTE.matcher(line);
        StringBuilder rewritten = new StringBuilder();
        while (m.find()) {
          URI target = resolve(base, m.group(1));
          String replacement = target == null ? m.group(0)
              : "URI=\"" + proxied(target, playlistTag || isPlaylistPath(target), source) + "\"";
          m.appendReplacement(rewritten, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(rewritten);
        out.append(rewritten);
      } else if (trimmed.isEmpty()) {
        out.append(line);
      } else {
        URI target = resolve(base, trimmed);
        if (target == null) {
          out.append(line);
        } else {
          boolean playlist = nextIsPlaylist || isPlaylistPath(target);
          if (!playlist && !nextIsRange) {
            segments.accept(segment++, target);
          }
          out.append(proxied(target, playlist, source));
        }
        nextIsPlaylist = false;
        nextIsRange = false;
      }
      out.append('\n');
    }
    // split() kept a last empty element for a trailing newline; keep the text's own ending.
    out.setLength(out.length() - 1);
    return out.toString();
  }

  /**
   * DASH: {@code BaseURL}s nest (MPD, Period, AdaptationSet, Representation), each relative one
   * resolving against the one above it, so the elements are followed in order with the base in
   * force at each level. Every {@code BaseURL} becomes an absolute proxy path of its own (a folder
   * token, so that segment names resolved against it stay inside that folder), and an MPD without
   * a top-level one gets the proxied folder of the manifest itself.
   */
  public String dash(String text, URI base, String source) {
    Matcher m = DASH_TOKEN.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 1024);
    java.util.ArrayDeque<Level> open = new java.util.ArrayDeque<>();
    boolean mpdHasBaseUrl = false;
    int mpdStartEnd = -1;
    while (m.find()) {
      String replacement;
      boolean mpdOpened = false;
      Level level = open.peek();
      URI inForce = level == null ? base : level.inForce();
      if (m.group("baseAttrs") != null) {
        // A BaseURL resolves against the base of the element around the one it belongs to.
        URI parent = level == null ? base : level.parent();
        URI target = resolve(parent, unxml(m.group("baseUrl").strip()));
        if (target == null) {
          replacement = m.group(0);
        } else {
          if (level != null && level.own == null) {
            level.own = target;
          }
          if (level != null && open.size() == 1) {
            mpdHasBaseUrl = true;
          }
          replacement = "<BaseURL" + m.group("baseAttrs") + ">" + xml(tokens.folderPath(target)) + "</BaseURL>";
        }
      } else if (m.group("location") != null) {
        // A Location is where the manifest itself is reloaded from: against the manifest's URL.
        URI target = resolve(base, unxml(m.group("location").strip()));
        replacement = target == null ? m.group(0)
            : "<Location" + m.group("locationAttrs") + ">" + xml(tokens.path(target, source, ProxyTokens.Role.DASH, null)) + "</Location>";
      } else if (m.group("name") != null) {
        String name = m.group("name");
        boolean closing = !m.group("close").isEmpty();
        boolean empty = !m.group("empty").isEmpty();
        if (closing) {
          if (!open.isEmpty()) {
            open.pop();
          }
          replacement = m.group(0);
        } else {
          replacement = "<" + name + urlAttributes(m.group("attrs"), inForce) + m.group("empty") + ">";
          if (!empty) {
            open.push(new Level(inForce));
            mpdOpened = open.size() == 1 && localName(name).equals("MPD");
          }
        }
      } else {
        replacement = m.group(0);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      if (mpdOpened) {
        mpdStartEnd = out.length();
      }
    }
    m.appendTail(out);
    if (!mpdHasBaseUrl && mpdStartEnd >= 0) {
      // Relative URLs in the manifest resolve against the folder it came from, through the proxy.
      out.insert(mpdStartEnd, "\n  <BaseURL>" + xml(tokens.folderPath(base.resolve("."))) + "</BaseURL>");
    }
    return out.toString();
  }

  /**
   * {@code media}, {@code initialization} and {@code sourceURL}: an absolute URL, or one that
   * leaves the folder of the base in force, gets a folder token of its own; a plain relative name
   * (which may hold template identifiers such as {@code $Number$}) stays, and resolves against the
   * proxied {@code BaseURL}.
   */
  private String urlAttributes(String attributes, URI inForce) {
    return replace(URL_ATTRIBUTE, attributes, a -> {
      String value = unxml(a.group(2));
      boolean absolute = value.matches("(?i)^https?://.*");
      if (!absolute && !value.startsWith("/") && !value.contains("../")) {
        return a.group(0);
      }
      URI target = resolve(inForce, value);
      return target == null ? a.group(0) : a.group(1) + "=\"" + xml(tokens.folderPath(target)) + "\"";
    });
  }

  private static String localName(String name) {
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(colon + 1);
  }

  /** An open element: the base around it, and the first BaseURL of its own, if any. */
  private static final class Level {
    private final URI parent;
    private URI own;

    Level(URI parent) {
      this.parent = parent;
    }

    URI parent() {
      return parent;
    }

    URI inForce() {
      return own != null ? own : parent;
    }
  }

  private String proxied(URI target, boolean playlist, String source) {
    return playlist
        ? tokens.path(target, source, ProxyTokens.Role.HLS, null)
        : tokens.path(target, source, ProxyTokens.Role.MEDIA, null);
  }

  private static boolean isPlaylistPath(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
    return path.endsWith(".m3u8") || path.endsWith(".m3u");
  }

  /** {@code value} resolved against {@code base}, when it is an http(s) URL or a relative one. */
  private static URI resolve(URI base, String value) {
    try {
      URI resolved = base.resolve(value.replace(" ", "%20"));
      String scheme = resolved.getScheme();
      return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) ? resolved : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
  }

  private static String unxml(String text) {
    return text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
