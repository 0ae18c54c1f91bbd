package io.watchroom.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the resolver keeps what it found, on a clock the test moves: stream URLs 2 hours (less
 * when the URL says it expires sooner), searches 24 hours, metadata 30 days in the database and
 * then refreshed; and overlapping resolutions of one link share one yt-dlp run.
 */
class ResolverCachesTest {

  private static ActorTestKit testKit;
  private static FixtureServer web;
  private static EgressProxy egress;
  private static Upstream upstream;
  @TempDir Path dir;

  /** A clock that moves only when told. */
  static final class TestClock implements InstantSource {
    private final AtomicLong millis = new AtomicLong(1_780_000_000_000L);

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
      return millis.get();
    }

    void advance(Duration by) {
      millis.addAndGet(by.toMillis());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    testKit = ActorTestKit.create();
    web = FixtureServer.start(testKit.system());
    DestinationGuard guard = new DestinationGuard(List.of("127.0.0.1/32"));
    upstream = new Upstream(testKit.system(), guard, Duration.ofSeconds(3), Duration.ofSeconds(10), 16);
    egress = EgressProxy.start(testKit.system(), guard);
  }

  @AfterAll
  static void stop() throws Exception {
    egress.close();
    web.close();
    testKit.shutdownTestKit();
  }

  @Test
  void streamsAreKeptForTwoHours() throws Exception {
    TestClock clock = new TestClock();
    MediaResolver resolver = resolver("yt-dlp", clock, Optional.empty());
    String link = web.base() + "/media/clip.mp4?streams=1";
    int before = web.hits("/media/clip.mp4");
    resolver.resolve(link).toCompletableFuture().get(30, TimeUnit.SECONDS);
    int oneResolution = web.hits("/media/clip.mp4") - before;
    assertTrue(oneResolution > 0);

    clock.advance(Duration.ofMinutes(119));
    resolver.resolve(link).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(before + oneResolution, web.hits("/media/clip.mp4"), "still kept after 1 h 59 min");

    clock.advance(Duration.ofMinutes(2));
    resolver.resolve(link).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(web.hits("/media/clip.mp4") > before + oneResolution, "resolved again after 2 h");
  }

  @Test
  void aStreamWhoseUrlExpiresSoonerIsKeptUntilAMinuteBefore() throws Exception {
    TestClock clock = new TestClock();
    MediaResolver resolver = resolver("yt-dlp", clock, Optional.empty());
    long expires = clock.millis() / 1000 + 600;
    String link = web.base() + "/media/clip.webm?expire=" + expires + "&sig=x";
    ResolvedMedia first = resolver.resolve(link).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(expires * 1000, first.expiresAt());
    int before = web.hits("/media/clip.webm");

    clock.advance(Duration.ofMinutes(8));
    resolver.resolve(link).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(before, web.hits("/media/clip.webm"), "kept 8 minutes of the 10 the URL has");

    clock.advance(Duration.ofSeconds(61));
    resolver.resolve(link).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(web.hits("/media/clip.webm") > before, "not handed out in the last minute of its life");
  }

  @Test
  void streamExpiryIsReadFromTheUrl() {
    assertEquals(1_780_000_000_000L, StreamExpiry.of(URI.create("https://r1.example.org/videoplayback?id=1&expire=1780000000&ei=x")));
    assertEquals(1_780_000_000_000L, StreamExpiry.of(URI.create("https://cdn.example.org/v.mp4?Expires=1780000000&Signature=y")));
    assertEquals(1_780_000_000_000L, StreamExpiry.of(URI.create("https://cdn.example.org/exp=1780000000~acl=/*/v.mp4")));
    assertEquals(1_780_000_000_000L, StreamExpiry.of(URI.create("https://cdn.example.org/expire/1780000000/v.mp4")));
    assertEquals(Long.MAX_VALUE, StreamExpiry.of(URI.create("https://cdn.example.org/v.mp4?experience=1780000000")));
    assertEquals(Long.MAX_VALUE, StreamExpiry.of(URI.create("https://cdn.example.org/v.mp4")));
  }

  @Test
  void searchesAreKeptForADay() throws Exception {
    Path runs = dir.resolve("runs");
    Path script = script(
        "echo run >> '" + runs + "'",
        "echo '{\"_type\": \"playlist\", \"entries\": [{\"_type\": \"url\", \"url\": \"https://www.youtube.com/watch?v=aaaaaaaaaaa\", \"title\": \"A\"}]}'");
    TestClock clock = new TestClock();
    MediaResolver resolver = resolver(script.toString(), clock, Optional.empty());
    resolver.search("cats").toCompletableFuture().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofHours(23));
    resolver.search("cats").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(1, Files.readAllLines(runs).size());
    clock.advance(Duration.ofHours(2));
    resolver.search("cats").toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(2, Files.readAllLines(runs).size(), "searched again after 24 h");
  }

  @Test
  void metadataIsKeptThirtyDaysInTheDatabaseThenRefreshed() throws Exception {
    JdbcDataSource db = new JdbcDataSource();
    db.setURL("jdbc:h2:mem:links" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = db.getConnection()) {
      // As the node's migration creates it.
      c.createStatement().execute("CREATE TABLE link_metadata (service VARCHAR(64) NOT NULL, media_id VARCHAR(512) NOT NULL,"
          + " url VARCHAR(2048) NOT NULL, title VARCHAR(250), duration DOUBLE PRECISION, thumbnail VARCHAR(2048),"
          + " fetched_at BIGINT NOT NULL, PRIMARY KEY (service, media_id))");
    }
    TestClock clock = new TestClock();
    MediaResolver resolver = resolver("yt-dlp", clock, Optional.of(new LinkMetadataStore(db)));
    String link = web.base() + "/media/clip.webm?metadata=1";

    assertEquals("clip.webm", resolver.inspect(link).toCompletableFuture().get(30, TimeUnit.SECONDS).get(0).title());
    long firstFetch = clock.millis();
    waitForRow(db, link, firstFetch);
    // What the database says is what is answered while it is fresh: mark it to tell.
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE link_metadata SET title = 'Kept title'")) {
      s.executeUpdate();
    }
    clock.advance(Duration.ofDays(30).minusMinutes(1));
    int before = web.hits("/media/clip.webm");
    assertEquals("Kept title", resolver.inspect(link).toCompletableFuture().get(30, TimeUnit.SECONDS).get(0).title());
    assertEquals(before, web.hits("/media/clip.webm"), "nothing fetched for a fresh entry");

    clock.advance(Duration.ofMinutes(2));
    assertEquals("clip.webm", resolver.inspect(link).toCompletableFuture().get(30, TimeUnit.SECONDS).get(0).title(), "a stale entry is refreshed");
    assertTrue(web.hits("/media/clip.webm") > before);
    waitForRow(db, link, clock.millis());
  }

  @Test
  void overlappingResolutionsOfOneLinkShareOneYtDlpRun() throws Exception {
    Path runs = dir.resolve("runs");
    // Slow enough that every request arrives while the first run is under way.
    Path script = script(
        "echo run >> '" + runs + "'",
        "sleep 1",
        "echo '{\"id\": \"x\", \"title\": \"Shared\", \"duration\": 6, \"formats\": [{\"format_id\": \"18\", "
            + "\"url\": \"" + web.base() + "/media/clip.mp4\", \"protocol\": \"http\", \"ext\": \"mp4\", "
            + "\"vcodec\": \"avc1.42001E\", \"acodec\": \"mp4a.40.2\", \"height\": 180}]}'");
    MediaResolver resolver = resolver(script.toString(), new TestClock(), Optional.empty());
    List<CompletableFuture<ResolvedMedia>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(resolver.resolve(web.base() + "/nothing.html?shared=1").toCompletableFuture());
    }
    for (CompletableFuture<ResolvedMedia> f : all) {
      assertEquals("Shared", f.get(30, TimeUnit.SECONDS).title());
    }
    assertEquals(1, Files.readAllLines(runs).size());
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static MediaResolver resolver(String ytDlp, InstantSource clock, Optional<LinkMetadataStore> store) {
    return MediaResolver.create(testKit.system(), upstream, egress, ytDlp, "ffprobe", Duration.ofSeconds(10), store,
        new MediaResolver.Settings(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofDays(30), Duration.ofHours(24), 50, 5,
            false, web.base() + "/oembed", web.base() + "/oembed", web.base() + "/oembed"),
        clock);
  }

  private Path script(String... lines) throws Exception {
    Path script = dir.resolve("yt-dlp");
    Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
    assertTrue(script.toFile().setExecutable(true));
    return script;
  }

  /** The row is written after the answer: wait (boundedly) for it to say it was fetched at {@code at}. */
  private static void waitForRow(JdbcDataSource db, String link, long at) throws Exception {
    long found = -1;
    for (int i = 0; i < 100 && found != at; i++) {
      try (Connection c = db.getConnection();
          PreparedStatement s = c.prepareStatement("SELECT fetched_at FROM link_metadata WHERE service = 'url' AND media_id = ?")) {
        s.setString(1, link);
        try (ResultSet rs = s.executeQuery()) {
          found = rs.next() ? rs.getLong(1) : -1;
        }
      }
      if (found != at) {
        Thread.sleep(50);
      }
    }
    assertEquals(at, found, "the row's fetch time");
  }

  @Test
  void aComputationThatThrowsOrAnswersNothingIsNotLeftUnderWay() throws Exception {
    com.github.benmanes.caffeine.cache.Cache<String, String> cache =
        com.github.benmanes.caffeine.cache.Caffeine.newBuilder().build();
    java.util.concurrent.ConcurrentHashMap<String, CompletableFuture<String>> running = new java.util.concurrent.ConcurrentHashMap<>();

    CompletableFuture<String> thrown =
        MediaResolver.<String>shared("k", cache, running, () -> { throw new IllegalStateException("broken"); }).toCompletableFuture();
    assertTrue(thrown.isCompletedExceptionally(), "the caller hears of it");
    assertTrue(running.isEmpty(), "nothing left under way for the next caller to wait on");

    assertEquals(null, MediaResolver.<String>shared("k", cache, running, () -> CompletableFuture.completedFuture(null))
        .toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertTrue(running.isEmpty());
    assertEquals("fine", MediaResolver.<String>shared("k", cache, running, () -> CompletableFuture.completedFuture("fine"))
        .toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals("fine", cache.getIfPresent("k"));
  }
}
