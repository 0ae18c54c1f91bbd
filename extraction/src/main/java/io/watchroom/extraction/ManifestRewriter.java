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
 *   <li>DASH: the manifest gets a proxied {@code BaseURL} for the folder it came from (so relative
 *       segment URLs and templates resolve through the proxy), and every absolute {@code BaseURL},
 *       {@code Location}, {@code media}, {@code initialization} and {@code sourceURL} is proxied.
 * </ul>
 */
public final class ManifestRewriter {

  private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");
  private static final Pattern BASE_URL = Pattern.compile("<BaseURL([^>]*)>([^<]*)</BaseURL>");
  private static final Pattern LOCATION = Pattern.compile("<Location>([^<]*)</Location>");
  private static final Pattern URL_ATTRIBUTE = Pattern.compile("\\b(media|initialization|sourceURL)=\"([^\"]*)\"");
  private static final Pattern MPD_START = Pattern.compile("<MPD\\b[^>]*>");
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

  public String dash(String text, URI base, String source) {
    String rewritten = replace(BASE_URL, text, m -> {
      URI target = resolve(base, m.group(2).strip());
      if (target == null || !m.group(2).strip().matches("(?i)^https?://.*")) {
        return m.group(0);
      }
      return "<BaseURL" + m.group(1) + ">" + xml(folderOrFile(target)) + "</BaseURL>";
    });
    rewritten = replace(LOCATION, rewritten, m -> {
      URI target = resolve(base, m.group(1).strip());
      return target == null ? m.group(0) : "<Location>" + xml(tokens.path(target, source, ProxyTokens.Role.DASH, null)) + "</Location>";
    });
    rewritten = replace(URL_ATTRIBUTE, rewritten, m -> {
      String value = m.group(2);
      if (!value.matches("(?i)^https?://.*")) {
        return m.group(0);
      }
      URI target = resolve(base, unxml(value));
      return target == null ? m.group(0) : m.group(1) + "=\"" + xml(tokens.folderPath(target)) + "\"";
    });
    // Relative URLs in the manifest resolve against the folder it came from, through the proxy.
    if (!hasTopLevelBaseUrl(rewritten)) {
      Matcher start = MPD_START.matcher(rewritten);
      if (start.find()) {
        String folder = tokens.folderPath(base.resolve("."));
        rewritten = rewritten.substring(0, start.end()) + "\n  <BaseURL>" + xml(folder) + "</BaseURL>" + rewritten.substring(start.end());
      }
    }
    return rewritten;
  }

  private String proxied(URI target, boolean playlist, String source) {
    return playlist
        ? tokens.path(target, source, ProxyTokens.Role.HLS, null)
        : tokens.path(target, source, ProxyTokens.Role.MEDIA, null);
  }

  private String folderOrFile(URI target) {
    return target.getPath() != null && target.getPath().endsWith("/")
        ? tokens.folderPath(target)
        : tokens.path(target, null, ProxyTokens.Role.MEDIA, null);
  }

  private static boolean hasTopLevelBaseUrl(String mpd) {
    int period = mpd.indexOf("<Period");
    int baseUrl = mpd.indexOf("<BaseURL");
    return baseUrl >= 0 && (period < 0 || baseUrl < period);
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
