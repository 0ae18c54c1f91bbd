package io.watchroom.node;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.extraction.FixtureServer;
import io.watchroom.extraction.MediaFixtures;
import io.watchroom.http.WsClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pasted links on a whole node: {@code POST /api/resolve}, the media proxy over HTTP, {@code GET
 * /api/search}, and rooms whose queue is filled from what the resolver learns. The web is a local
 * fixture server on loopback, which the test configuration lets the node fetch from; a script
 * stands in for yt-dlp's YouTube search, which cannot be reached from here.
 */
class LinksNodeTest {

  private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]+)\"");

  @TempDir static Path dataDir;
  private static YtDlpStandIn ytDlp;
  private static WatchroomNode node;
  private static ActorTestKit webSystem;
  private static FixtureServer web;
  private static String token;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    webSystem = ActorTestKit.create("fixture");
    web = FixtureServer.start(webSystem.system());
    ytDlp = YtDlpStandIn.answering(dataDir.resolve("yt-dlp"), "piano cats");
    ytDlp.answer(List.of(
        new YtDlpStandIn.Hit("clip", web.base() + "/media/clip.mp4", "A cat plays the piano", 6.0, web.base() + "/media/poster.jpg"),
        new YtDlpStandIn.Hit("aaaaaaaaaaa", "aaaaaaaaaaa", "Two cats, four hands", 61.0, "data:image/png;base64,iVBORw0KGgo="),
        new YtDlpStandIn.Hit("bbbbbbbbbbb", "javascript:alert(1)", "Not a web address", 12.0, null),
        new YtDlpStandIn.Hit("ccccccccccc", web.base() + "/media/clip.webm", "Kitten recital", null, null)));
    node = WatchroomNode.start(TestNodes.config(dataDir, Map.of(
        "watchroom.database.kind", "h2",
        "watchroom.resolve.yt-dlp", ytDlp.executable().toString())));
    token = TestNodes.guest(node, "Linda");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (web != null) {
      web.close();
    }
    if (webSystem != null) {
      webSystem.shutdownTestKit();
    }
  }

  @Test
  void anHlsLinkResolvesAndEveryFileOfItPlaysThroughTheProxy() throws Exception {
    HttpResponse<String> answer = resolve("{\"url\": \"" + web.base() + "/hls/master.m3u8\"}", token);
    assertEquals(200, answer.statusCode(), answer.body());
    JsonNode playable = WsClient.JSON.readTree(answer.body());
    assertEquals("hls", playable.get("kind").asText());
    assertEquals(web.base() + "/hls/master.m3u8", playable.get("url").asText());
    assertEquals(MediaFixtures.SECONDS, playable.get("duration").asDouble(), 0.2);
    assertEquals(2, playable.get("qualities").size());
    assertTrue(playable.get("proxied").asBoolean());
    assertFalse(playable.get("live").asBoolean());
    String stream = playable.get("stream").asText();
    assertTrue(stream.startsWith("/api/proxy/"), stream);

    // The master names its two variants through the proxy, the unknown tag survives, and no line
    // points at the upstream server any more.
    HttpResponse<String> master = getText(stream);
    assertEquals(200, master.statusCode());
    assertTrue(master.headers().firstValue("Content-Type").orElse("").contains("mpegurl"));
    assertTrue(master.body().contains("#EXT-X-X-WATCHROOM-UNKNOWN-TAG"));
    assertFalse(master.body().contains("127.0.0.1:" + web.port()), master.body());
    List<String> variants = uris(master.body());
    assertEquals(2, variants.size(), master.body());

    // Every segment and init segment of the first variant arrives byte for byte.
    String variant = absolute(stream, variants.get(0));
    HttpResponse<String> playlist = getText(variant);
    assertEquals(200, playlist.statusCode());
    List<String> files = uris(playlist.body());
    assertTrue(files.size() >= 4, playlist.body());
    Path folder = MediaFixtures.DIR.resolve("hls").resolve("360");
    for (String file : files) {
      HttpResponse<byte[]> bytes = getBytes(absolute(variant, file), null);
      assertEquals(200, bytes.statusCode(), file);
      String name = file.substring(file.lastIndexOf('/') + 1);
      assertArrayEquals(Files.readAllBytes(folder.resolve(name)), bytes.body(), name);
    }

    // A range of a segment is answered with exactly those bytes.
    String segment = absolute(variant, files.get(files.size() - 1));
    byte[] whole = Files.readAllBytes(folder.resolve(segment.substring(segment.lastIndexOf('/') + 1)));
    HttpResponse<byte[]> range = getBytes(segment, "bytes=100-1099");
    assertEquals(206, range.statusCode());
    assertEquals("bytes 100-1099/" + whole.length, range.headers().firstValue("Content-Range").orElseThrow());
    assertArrayEquals(Arrays.copyOfRange(whole, 100, 1100), range.body());
  }

  @Test
  void resolveRefusesWithACodeAndASentence() throws Exception {
    assertRefused(resolve("{\"url\": \"magnet:?xt=urn:btih:abc\"}", token), 422, "not_a_url");
    assertRefused(resolve("{\"url\": \"http://10.0.0.1/film.mp4\"}", token), 422, "blocked_destination");
    assertRefused(resolve("{\"url\": \"http://169.254.169.254/latest/meta-data/\"}", token), 422, "blocked_destination");
    assertRefused(resolve("{\"url\": \"" + web.base() + "/not-found.mp4\"}", token), 422, "not_found");
    assertRefused(resolve("{\"url\": \"" + web.base() + "/drm/master.m3u8\"}", token), 422, "drm");
    assertRefused(resolve("{\"link\": \"x\"}", token), 400, "invalid");
    assertRefused(resolve("{\"url\": \"" + web.base() + "/media/clip.mp4\"}", "not-a-token"), 401, "unauthorized");
  }

  @Test
  void theProxyFetchesOnlyWhatATokenItSignedNames() throws Exception {
    HttpResponse<String> forged = getText("/api/proxy/eyJ1IjoiaHR0cDovLzEyNy4wLjAuMTo1NDMyLyJ9.AAAA/media");
    assertRefused(forged, 404, "not_found");
    // A file token names one URL: whatever path follows it, that file and nothing else is fetched.
    HttpResponse<String> answer = resolve("{\"url\": \"" + web.base() + "/hls/master.m3u8\"}", token);
    String stream = WsClient.JSON.readTree(answer.body()).get("stream").asText();
    int before = web.hits("/media/clip.mp4");
    HttpResponse<String> elsewhere = getText(stream.substring(0, stream.lastIndexOf('/')) + "/..%2F..%2Fmedia%2Fclip.mp4");
    assertTrue(elsewhere.body().startsWith("#EXTM3U"), elsewhere.statusCode() + " " + elsewhere.body());
    assertEquals(before, web.hits("/media/clip.mp4"));
  }

  @Test
  void searchAnswersTheHitsOfYtDlpsSearchAndKeepsThemForTheDay() throws Exception {
    HttpResponse<String> answer = getText("/api/search?q=" + URLEncoder.encode(" piano cats ", StandardCharsets.UTF_8), token);
    assertEquals(200, answer.statusCode(), answer.body());
    JsonNode results = WsClient.JSON.readTree(answer.body()).get("results");
    // Only web addresses: the hit whose address is not one is left out.
    assertEquals(3, results.size(), answer.body());
    JsonNode first = results.get(0);
    assertEquals(Set.of("url", "title", "duration", "thumbnail"), fieldNames(first));
    assertEquals(web.base() + "/media/clip.mp4", first.get("url").asText());
    assertEquals("A cat plays the piano", first.get("title").asText());
    assertEquals(6.0, first.get("duration").asDouble(), 0.001);
    // the largest of the hit's pictures
    assertEquals(web.base() + "/media/poster.jpg", first.get("thumbnail").asText());
    assertEquals("https://www.youtube.com/watch?v=aaaaaaaaaaa", results.get(1).get("url").asText());
    assertEquals(61.0, results.get(1).get("duration").asDouble(), 0.001);
    // a picture that is not a web address is not passed on
    assertTrue(results.get(1).path("thumbnail").isNull(), answer.body());
    assertEquals("Kitten recital", results.get(2).get("title").asText());
    assertTrue(results.get(2).path("duration").isNull(), answer.body());
    assertTrue(results.get(2).path("thumbnail").isNull(), answer.body());

    // yt-dlp ran a flat YouTube search for the words, the query after "--".
    List<String> runs = ytDlp.runsForQuery();
    assertEquals(1, runs.size(), runs.toString());
    assertTrue(runs.get(0).contains(" --flat-playlist "), runs.get(0));
    assertTrue(runs.get(0).endsWith(" -- ytsearch10:piano cats"), runs.get(0));

    // The same words again, in another case: the kept answer, without running yt-dlp again.
    for (String again : List.of("piano cats", "Piano Cats")) {
      HttpResponse<String> repeated = getText("/api/search?q=" + URLEncoder.encode(again, StandardCharsets.UTF_8), token);
      assertEquals(200, repeated.statusCode(), repeated.body());
      assertEquals(results, WsClient.JSON.readTree(repeated.body()).get("results"));
    }
    assertEquals(1, ytDlp.runsForQuery().size(), ytDlp.runsForQuery().toString());
  }

  @Test
  void searchValidatesItsQueryAndAnswersACodeWhenTheSiteCannotBeReached() throws Exception {
    assertRefused(getText("/api/search?q=", token), 400, "invalid");
    assertRefused(getText("/api/search?q=" + "x".repeat(201), token), 400, "invalid");
    assertRefused(getText("/api/search?q=cats", null), 401, "unauthorized");
    // Words the stand-in does not answer go to the real yt-dlp. These machines have no internet: its
    // search cannot reach the site, and says so with a code.
    HttpResponse<String> offline = getText("/api/search?q=" + URLEncoder.encode("cats playing piano", StandardCharsets.UTF_8), token);
    assertEquals(422, offline.statusCode(), offline.body());
    JsonNode error = WsClient.JSON.readTree(offline.body());
    assertFalse(error.get("code").asText().isBlank());
    assertFalse(error.get("message").asText().isBlank());
  }

  @Test
  void addingALinkToTheQueueFillsItsTitleDurationAndPicture() throws Exception {
    String roomId = TestNodes.createRoom(node, token);
    try (WsClient client = WsClient.join(TestNodes.ws(node, roomId), token)) {
      // A PeerTube watch page: the instance's API names the video, its length and its picture.
      client.send(msg("queue_add").put("url", web.base() + "/w/abc123def"));
      JsonNode media = client.await("media");
      assertEquals(web.base() + "/w/abc123def", media.get("url").asText());
      assertEquals("A PeerTube video", media.get("title").asText());
      assertEquals(6.0, media.get("duration").asDouble(), 0.01);
      assertEquals(web.base() + "/media/poster.jpg", media.get("thumbnail").asText());

      // A file: its duration is probed.
      client.send(msg("queue_add").put("url", web.base() + "/media/clip.webm"));
      JsonNode queue = client.await("queue", q -> q.get("items").size() == 1);
      assertEquals(MediaFixtures.SECONDS, queue.at("/items/0/duration").asDouble(), 0.2);
      assertEquals("clip.webm", queue.at("/items/0/title").asText());

      // What cannot be played is refused with the resolver's reason; the room goes on.
      client.send(msg("queue_add").put("url", "http://192.168.1.1/router.mp4").put("ref", "lan"));
      JsonNode refused = client.await("error");
      assertEquals("blocked_destination", refused.get("code").asText());
      assertEquals("lan", refused.get("ref").asText());
      client.send(msg("queue_add").put("url", web.base() + "/private.mp4").put("ref", "private"));
      assertEquals("private", client.await("error").get("code").asText());
      client.send(msg("play"));
      assertTrue(client.await("playback", p -> p.get("playing").asBoolean()).get("playing").asBoolean());
    }
  }

  private static Set<String> fieldNames(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void assertRefused(HttpResponse<String> response, int status, String code) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode error = WsClient.JSON.readTree(response.body());
    assertEquals(code, error.get("code").asText(), response.body());
    assertFalse(error.get("message").asText().isBlank());
  }

  /** The URIs of a playlist: its URI lines and URI="..." attributes, in order. */
  private static List<String> uris(String playlist) {
    List<String> found = new ArrayList<>();
    for (String line : playlist.split("\n")) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      if (l.startsWith("#")) {
        Matcher m = URI_ATTRIBUTE.matcher(l);
        while (m.find()) {
          found.add(m.group(1));
        }
      } else {
        found.add(l);
      }
    }
    for (String uri : found) {
      assertTrue(uri.startsWith("/api/proxy/") || !uri.contains("/"), "goes through the proxy: " + uri);
    }
    return found;
  }

  private static String absolute(String base, String reference) {
    return URI.create("http://node" + base).resolve(reference).getRawPath();
  }

  private static HttpResponse<String> resolve(String body, String bearer) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(TestNodes.base(node) + "api/resolve"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + bearer)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> getText(String path) throws Exception {
    return getText(path, null);
  }

  private static HttpResponse<String> getText(String path, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestNodes.base(node) + path.substring(1)));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> getBytes(String path, String range) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestNodes.base(node) + path.substring(1)));
    if (range != null) {
      request.header("Range", range);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
