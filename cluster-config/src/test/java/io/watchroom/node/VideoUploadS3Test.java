package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.watchroom.transcoding.store.S3MediaStore;
import io.watchroom.transcoding.store.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload to publication with media in S3: a real S3-compatible server (s3proxy) runs in this JVM,
 * the node talks to it through Pekko Connectors S3 with path-style access and signed requests,
 * and media is served through the node.
 */
class VideoUploadS3Test {

  @TempDir static Path dataDir;
  private static S3Server s3;
  private static WatchroomNode node;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Server.start();
    node = WatchroomNode.start(TestNodes.config(dataDir, s3Settings(s3, "watchroom-e2e")));
  }

  static Map<String, Object> s3Settings(S3Server server, String bucket) {
    S3MediaStore.Settings settings = server.settings(bucket);
    return Map.of(
        "watchroom.database.kind", "h2",
        "watchroom.media.storage", "s3",
        "watchroom.media.s3.endpoint", settings.endpoint(),
        "watchroom.media.s3.bucket", settings.bucket(),
        "watchroom.media.s3.access-key", settings.accessKey(),
        "watchroom.media.s3.secret-key", settings.secretKey(),
        "watchroom.media.s3.path-style", "true");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void anUploadBecomesAnAdaptiveLadderInS3() throws Exception {
    UploadScenario.run(node);
    // nothing was written to the local media folder: the bucket holds it all
    assertFalse(Files.exists(dataDir.resolve("media").resolve("videos")));
    assertEquals(S3MediaStore.class, node.mediaStore().getClass());
  }
}
