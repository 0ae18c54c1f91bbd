package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * How yt-dlp is run and how its failures are told. These cases need answers from sites these
 * tests cannot reach, so a small script stands in for yt-dlp where a run is needed; it records the
 * arguments it was given and answers as yt-dlp does.
 */
class YtDlpTest {

  private static ActorTestKit testKit;
  private static ExternalProgram programs;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
    programs = new ExternalProgram(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Error lines as yt-dlp prints them, and what each must become. */
  @Test
  void errorLinesBecomeTheFailuresPeopleAreTold() {
    Map<String, ResolveFailure.Code> cases = Map.ofEntries(
        Map.entry("ERROR: [youtube] dQw4w9WgXcQ: Sign in to confirm your age. This video may be inappropriate for some users. "
            + "Use --cookies-from-browser or --cookies for the authentication.", ResolveFailure.Code.AGE_RESTRICTED),
        Map.entry("ERROR: [youtube] aqz-KE-bpKQ: Video unavailable. The uploader has not made this video available in your country",
            ResolveFailure.Code.GEO_BLOCKED),
        Map.entry("ERROR: [vimeo] 76979871: The requested video is not available from your location due to geo restriction. "
            + "You might want to use a VPN or a proxy server (with --proxy) to workaround.", ResolveFailure.Code.GEO_BLOCKED),
        Map.entry("ERROR: [youtube] 0123456789a: Private video. Sign in if you've been granted access to this video",
            ResolveFailure.Code.PRIVATE),
        Map.entry("ERROR: [vimeo] 76979871: This video is protected by a password, use the --video-password option",
            ResolveFailure.Code.PRIVATE),
        Map.entry("ERROR: [youtube] Ab1Cd2Ef3Gh: Join this channel to get access to members-only content like this video, "
            + "and other exclusive perks.", ResolveFailure.Code.PRIVATE),
        Map.entry("ERROR: [instagram] Cx1y2z3: Requested content is not available, rate-limit reached or login required. "
            + "Use --cookies, --cookies-from-browser, --username and --password", ResolveFailure.Code.PRIVATE),
        Map.entry("ERROR: [youtube] abcdefghijk: Video unavailable", ResolveFailure.Code.NOT_FOUND),
        Map.entry("ERROR: [youtube] abcdefghijk: Video unavailable. This video has been removed by the uploader",
            ResolveFailure.Code.NOT_FOUND),
        // A video id with the letters "drm" in it is not a DRM-protected video.
        Map.entry("ERROR: [youtube] xDRMa1b2c3d: Video unavailable", ResolveFailure.Code.NOT_FOUND),
        Map.entry("ERROR: [generic] Unable to download webpage: HTTP Error 404: Not Found (caused by <HTTPError 404: 'Not Found'>); "
            + "please report this issue on  https://github.com/yt-dlp/yt-dlp/issues?q= , filling out the appropriate issue template. "
            + "Confirm you are on the latest version using  yt-dlp -U", ResolveFailure.Code.NOT_FOUND),
        Map.entry("ERROR: Unsupported URL: http://127.0.0.1:8080/nothing.html", ResolveFailure.Code.UNSUPPORTED_SITE),
        Map.entry("ERROR: [youtube] dQw4w9WgXcQ: Unable to download API page: HTTP Error 429: Too Many Requests "
            + "(caused by <HTTPError 429: 'Too Many Requests'>)", ResolveFailure.Code.UPSTREAM_RATE_LIMITED),
        // Asked to prove it is no robot: the site is limiting the server, the video is not private.
        Map.entry("ERROR: [youtube] dQw4w9WgXcQ: Sign in to confirm you\u2019re not a bot. Use --cookies-from-browser or --cookies "
            + "for the authentication.", ResolveFailure.Code.UPSTREAM_RATE_LIMITED),
        Map.entry("ERROR: [Crunchyroll] GRDQPM1ZY: This video is DRM protected", ResolveFailure.Code.DRM),
        Map.entry("ERROR: [DRM] The requested site is known to use DRM protection. It will NOT be supported by yt-dlp, "
            + "and will most likely never be.", ResolveFailure.Code.DRM),
        Map.entry("ERROR: [youtube] 5qap5aO4i9A: This live event will begin in 2 hours.", ResolveFailure.Code.LIVE_NOT_SUPPORTED),
        Map.entry("ERROR: [youtube] abcdefghijk: Premieres in 3 hours", ResolveFailure.Code.LIVE_NOT_SUPPORTED),
        Map.entry("ERROR: [generic] Unable to download webpage: HTTP Error 403: Blocked By Watchroom "
            + "(caused by <HTTPError 403: 'Blocked By Watchroom'>)", ResolveFailure.Code.BLOCKED_DESTINATION),
        Map.entry("ERROR: [youtube] dQw4w9WgXcQ: Unable to extract uploader id; please report this issue on  "
            + "https://github.com/yt-dlp/yt-dlp/issues?q= , filling out the appropriate issue template. "
            + "Confirm you are on the latest version using  yt-dlp -U", ResolveFailure.Code.EXTRACTOR_FAILED),
        Map.entry("ERROR: [generic] Unable to download webpage: <urlopen error [Errno 111] Connection refused>",
            ResolveFailure.Code.EXTRACTOR_FAILED));
    cases.forEach((line, code) -> {
      // yt-dlp prints a warning or two before its error.
      ResolveFailure failure = YtDlp.classify("WARNING: [youtube] Falling back to generic n function search\n" + line);
      assertEquals(code, failure.code(), line);
      assertEquals(code.sentence(), failure.getMessage());
    });
  }

  @Test
  void theCommandLineKeepsConfigurationOutAndTheLinkAfterDoubleDash() throws Exception {
    Path args = dir.resolve("args");
    Path script = script("printf '%s\\n' \"$@\" > '" + args + "'", "echo '{\"id\": \"x\", \"title\": \"t\"}'");
    YtDlp ytDlp = new YtDlp(programs, script.toString(), "http://127.0.0.1:3128", Duration.ofSeconds(30), 7);

    ytDlp.info(URI.create("https://example.org/watch?v=1")).toCompletableFuture().get(30, TimeUnit.SECONDS);
    List<String> given = Files.readAllLines(args);
    assertEquals(List.of("--ignore-config", "-J"), given.subList(0, 2), given.toString());
    assertTrue(given.contains("--no-playlist"), given.toString());
    assertEquals("15", given.get(given.indexOf("--socket-timeout") + 1), "half the hard limit: " + given);
    assertEquals("http://127.0.0.1:3128", given.get(given.indexOf("--proxy") + 1), "every connection through the egress proxy");
    assertEquals("7", given.get(given.indexOf("--playlist-end") + 1), "a list is cut at the cap");
    assertEquals(List.of("--", "https://example.org/watch?v=1"), given.subList(given.size() - 2, given.size()));

    // A search that looks like options is still only the search.
    ytDlp.search("--exec rm -rf", 5).toCompletableFuture().get(30, TimeUnit.SECONDS);
    given = Files.readAllLines(args);
    assertEquals(List.of("--", "ytsearch5:--exec rm -rf"), given.subList(given.size() - 2, given.size()));
    assertFalse(given.subList(0, given.size() - 1).contains("--exec"));
  }

  @Test
  void aRunOverTheHardLimitIsKilledAndTimesOut() throws Exception {
    Path pid = dir.resolve("pid");
    Path script = script("echo $$ > '" + pid + "'", "exec sleep 60");
    YtDlp ytDlp = new YtDlp(programs, script.toString(), null, Duration.ofSeconds(2), 50);
    assertEquals(ResolveFailure.Code.PROBE_TIMEOUT, failureOf(ytDlp, "https://example.org/slow"));
    long id = Long.parseLong(Files.readString(pid).strip());
    // Killed, not left running: wait (boundedly) for the kill to land.
    for (int i = 0; i < 100 && ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false); i++) {
      Thread.sleep(50);
    }
    assertFalse(ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false), "the program was killed");
  }

  @Test
  void anExtractorFailureIsLoggedWithTheYtDlpVersion() throws Exception {
    Path runs = dir.resolve("runs");
    Path script = script(
        "echo \"$1\" >> '" + runs + "'",
        "if [ \"$1\" = --version ]; then echo 2099.12.31; exit 0; fi",
        "case \"$*\" in *private*) echo 'ERROR: [youtube] 0123456789a: Private video. Sign in if you have been granted access' >&2; exit 1 ;; esac",
        "echo 'ERROR: [generic] Unable to extract title; please report this issue on  https://github.com/yt-dlp/yt-dlp/issues?q=' >&2",
        "exit 1");
    Logger logger = (Logger) LoggerFactory.getLogger(YtDlp.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      YtDlp ytDlp = new YtDlp(programs, script.toString(), null, Duration.ofSeconds(30), 50);
      assertEquals(ResolveFailure.Code.PRIVATE, failureOf(ytDlp, "https://example.org/private"));
      assertEquals(ResolveFailure.Code.EXTRACTOR_FAILED, failureOf(ytDlp, "https://example.org/changed"));
      // The version is asked for after the failure is answered: wait (boundedly) for the line.
      for (int i = 0; i < 100 && logged.list.isEmpty(); i++) {
        Thread.sleep(50);
      }
      assertEquals(1, logged.list.size(), "only the extractor failure is logged");
      String line = logged.list.get(0).getFormattedMessage();
      assertTrue(line.contains("yt-dlp 2099.12.31"), line);
      assertTrue(line.contains("https://example.org/changed") && line.contains("Unable to extract title"), line);
      assertEquals(1, Files.readAllLines(runs).stream().filter("--version"::equals).count());
    } finally {
      logger.detachAppender(logged);
    }
  }

  @Test
  void aPlaylistAnswerListsItsEntries() throws Exception {
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"_type": "playlist", "webpage_url": "https://example.org/page.html", "entries": [
          {"_type": "url", "ie_key": "Youtube", "url": "https://www.youtube.com/watch?v=aaaaaaaaaaa", "title": "Listed"},
          {"id": "page-1", "title": "On the page (1)", "url": "https://cdn.example.org/one.mp4", "webpage_url": "https://example.org/page.html"},
          {"id": "v2", "title": "Its own page", "url": "https://cdn.example.org/two.mp4", "webpage_url": "https://example.org/v/2", "duration": 12.5},
          {"_type": "url", "url": "javascript:alert(1)", "title": "Not a web address"}]}
        """);
    assertTrue(YtDlp.isPlaylist(root));
    assertEquals(List.of("https://www.youtube.com/watch?v=aaaaaaaaaaa", "https://cdn.example.org/one.mp4", "https://example.org/v/2"),
        YtDlp.entries(root).stream().map(YtDlp.Entry::url).toList());
    assertEquals(12.5, YtDlp.entries(root).get(2).duration());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private Path script(String... lines) throws Exception {
    Path script = dir.resolve("yt-dlp");
    Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
    assertTrue(script.toFile().setExecutable(true));
    return script;
  }

  private static ResolveFailure.Code failureOf(YtDlp ytDlp, String url) throws Exception {
    try {
      ytDlp.info(URI.create(url)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      fail("expected a failure for " + url);
      return null;
    } catch (ExecutionException e) {
      return assertInstanceOf(ResolveFailure.class, e.getCause()).code();
    }
  }
}
