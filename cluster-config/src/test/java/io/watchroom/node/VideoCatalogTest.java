package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.watchroom.core.projection.DatabaseSession;
import io.watchroom.core.video.Probe;
import io.watchroom.core.video.PublishedMedia;
import io.watchroom.core.video.Rendition;
import io.watchroom.core.video.Video;
import io.watchroom.core.video.VideoCatalog;
import io.watchroom.core.video.VideoCatalogHandler;
import io.watchroom.core.video.VideoInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video catalog read model on the real migrations, H2 and PostgreSQL: the projection's
 * handler writes it from Video events, and pages of published videos are read back.
 */
class VideoCatalogTest {

  @TempDir Path dir;

  private static final long T0 = 1_763_712_000_000L;
  private static final Rendition R360 = new Rendition("360p", 640, 360, 30, 900_000, 700_000, "avc1.64001e", 5);
  private static final PublishedMedia MEDIA =
      new PublishedMedia("master.m3u8", "poster.jpg", "thumbnails.vtt", 1, 10, List.of(R360));

  @Test
  void pagesAndViewsOnH2() throws Exception {
    Config config = TestNodes.h2(dir);
    DatabaseMigrations.migrate(config);
    org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
    h2.setURL(config.getString("watchroom.database.jdbc-url"));
    h2.setUser(config.getString("pekko-persistence-jdbc.shared-databases.default.db.user"));
    h2.setPassword(config.getString("pekko-persistence-jdbc.shared-databases.default.db.password"));
    exercise(h2);
  }

  @Test
  void pagesAndViewsOnPostgres() throws Exception {
    String schema = "video_catalog_" + Long.toHexString(System.nanoTime());
    try {
      Config config = TestNodes.postgres(dir, schema);
      DatabaseMigrations.migrate(config);
      org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
      pg.setURL(config.getString("watchroom.database.jdbc-url"));
      pg.setUser(TestNodes.PG_USER);
      pg.setPassword(TestNodes.PG_PASSWORD);
      exercise(pg);
    } finally {
      TestNodes.dropSchema(schema);
    }
  }

  private void exercise(DataSource dataSource) throws Exception {
    VideoCatalogHandler handler = new VideoCatalogHandler();
    // seven published videos "Clip 0" (oldest) to "Clip 6", one still transcoding, one failed
    for (int i = 0; i < 7; i++) {
      publish(handler, dataSource, "clip" + i + "-video", "Clip " + i, T0 + i);
    }
    apply(handler, dataSource, "busy12345678", new Video.Registered(new VideoInfo("busy12345678", "o-ann", "Clip busy", "b.mp4", 10, T0 + 10)));
    apply(handler, dataSource, "busy12345678", new Video.Uploaded(10, T0 + 10));
    apply(handler, dataSource, "fail12345678", new Video.Registered(new VideoInfo("fail12345678", "o-ann", "Clip failed", "f.mp4", 10, T0 + 11)));
    apply(handler, dataSource, "fail12345678", new Video.Failed("The file has no video stream.", T0 + 11));

    VideoCatalog catalog = new VideoCatalog(dataSource);
    // pages of three, newest first, each video on exactly one page
    List<String> seen = new ArrayList<>();
    for (int offset = 0; offset < 9; offset += 3) {
      VideoCatalog.Page page = catalog.published("clip", offset, 3);
      assertEquals(7, page.total(), "only published videos count");
      assertEquals(offset, page.offset());
      assertEquals(3, page.limit());
      assertEquals(Math.min(3, Math.max(0, 7 - offset)), page.items().size(), "page at " + offset);
      page.items().forEach(item -> seen.add(item.title()));
    }
    assertEquals(List.of("Clip 6", "Clip 5", "Clip 4", "Clip 3", "Clip 2", "Clip 1", "Clip 0"), seen);
    VideoCatalog.Page beyond = catalog.published("", 50, 10);
    assertEquals(7, beyond.total());
    assertTrue(beyond.items().isEmpty());
    assertEquals(List.of("Clip 2"), catalog.published("CLIP 2", 0, 10).items().stream().map(VideoCatalog.Entry::title).toList());

    // views add up, per video
    String viewed = catalog.published("Clip 4", 0, 1).items().get(0).id();
    for (int i = 0; i < 3; i++) {
      apply(handler, dataSource, viewed, new Video.Viewed(T0 + 100 + i));
    }
    assertEquals(3, catalog.find(viewed).orElseThrow().views());
    assertEquals(0, catalog.published("Clip 5", 0, 1).items().get(0).views());
  }

  private static void publish(VideoCatalogHandler handler, DataSource dataSource, String id, String title, long at) throws Exception {
    apply(handler, dataSource, id, new Video.Registered(new VideoInfo(id, "o-ann", title, title + ".mp4", 1000, at)));
    apply(handler, dataSource, id, new Video.Uploaded(1000, at));
    apply(handler, dataSource, id, new Video.Probed(new Probe(10, 640, 360, 30, true, "mp4"), at));
    apply(handler, dataSource, id, new Video.Published(MEDIA, at));
  }

  private static long sequence;

  /** One event through the handler, committed as the exactly-once projection commits it. */
  private static void apply(VideoCatalogHandler handler, DataSource dataSource, String id, Video.Event event) throws Exception {
    DatabaseSession session = new DatabaseSession(dataSource);
    try {
      handler.process(session, EventEnvelope.create(Offset.sequence(++sequence), "Video|" + id, sequence, event, event.at()));
      session.commit();
    } finally {
      session.close();
    }
  }
}
