package io.watchroom.transcoding.store;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/** Builds the configured media store ({@code watchroom.media.storage}: local or s3). */
public final class MediaStores {
  private MediaStores() {}

  public static MediaStore fromConfig(ActorSystem<?> system, Config config) throws Exception {
    Config media = config.getConfig("watchroom.media");
    String kind = media.getString("storage");
    switch (kind) {
      case "local" -> {
        return new LocalMediaStore(
            Path.of(media.getString("local.dir")),
            system.dispatchers().lookup(DispatcherSelector.blocking()));
      }
      case "s3" -> {
        Config s3 = media.getConfig("s3");
        S3MediaStore store =
            new S3MediaStore(
                system,
                new S3MediaStore.Settings(
                    s3.getString("endpoint"),
                    s3.getString("bucket"),
                    s3.getString("region"),
                    s3.getString("access-key"),
                    s3.getString("secret-key"),
                    s3.getBoolean("path-style"),
                    s3.getBoolean("create-bucket"),
                    S3MediaStore.Serving.parse(s3.getString("serving"), s3.getString("public-base-url")),
                    s3.getString("public-base-url"),
                    s3.getDuration("presign-expiry")));
        Duration timeout = s3.getDuration("start-timeout");
        store.prepare().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return store;
      }
      default ->
          throw new IllegalArgumentException(
              "watchroom.media.storage (WATCHROOM_MEDIA_STORAGE) must be local or s3, was \"" + kind + "\"");
    }
  }
}
