package io.watchroom.node;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload to publication on the embedded node: H2 and media files under the data folder. */
class VideoUploadTest {

  @TempDir static Path dataDir;
  private static WatchroomNode node;

  @BeforeAll
  static void start() throws Exception {
    node = WatchroomNode.start(TestNodes.h2(dataDir));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anUploadBecomesAnAdaptiveLadderOnLocalFiles() throws Exception {
    UploadScenario.run(node);
  }
}
