package io.watchroom.transcoding.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.connectors.s3.BucketAccess;
import org.apache.pekko.stream.connectors.s3.ObjectMetadata;
import org.apache.pekko.stream.connectors.s3.S3Attributes;
import org.apache.pekko.stream.connectors.s3.S3Settings;
import org.apache.pekko.stream.connectors.s3.javadsl.S3;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * Media in an S3 bucket (AWS, MinIO or any compatible server) through Pekko Connectors S3. Region
 * and credentials are always configured explicitly: the connector's default AWS provider chain
 * fails on a machine without AWS environment. Uploads stream through multipart uploads (bounded
 * memory, nothing visible until complete); published files are single PUTs.
 */
public final class S3MediaStore implements MediaStore {

  /**
   * @param endpoint empty for AWS itself; e.g. http://127.0.0.1:9000 for MinIO
   * @param pathStyle path-style access (bucket in the path), which MinIO and most servers need
   * @param publicBaseUrl when set, browsers fetch media from here directly instead of through
   *     the node (a public bucket or a CDN in front of it)
   */
  public record Settings(
      String endpoint,
      String bucket,
      String region,
      String accessKey,
      String secretKey,
      boolean pathStyle,
      boolean createBucket,
      String publicBaseUrl) {}

  private final ActorSystem<?> system;
  private final Settings settings;
  private final Attributes attributes;

  public S3MediaStore(ActorSystem<?> system, Settings settings) {
    this.system = system;
    this.settings = settings;
    this.attributes = S3Attributes.settings(connectorSettings(system.settings().config(), settings));
  }

  static S3Settings connectorSettings(Config systemConfig, Settings settings) {
    Map<String, Object> values = new java.util.HashMap<>();
    values.put("aws.credentials.provider", "static");
    values.put("aws.credentials.access-key-id", settings.accessKey());
    values.put("aws.credentials.secret-access-key", settings.secretKey());
    values.put("aws.region.provider", "static");
    values.put("aws.region.default-region", settings.region());
    values.put("access-style", settings.pathStyle() ? "path" : "virtual");
    if (!settings.endpoint().isBlank()) {
      values.put("endpoint-url", settings.endpoint());
    }
    return S3Settings.create(
        ConfigFactory.parseMap(values).withFallback(systemConfig.getConfig("pekko.connectors.s3")));
  }

  /** Creates the bucket when asked to and it does not exist yet. */
  public CompletionStage<Done> prepare() {
    if (!settings.createBucket()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return S3.checkIfBucketExists(settings.bucket(), system, attributes)
        .thenCompose(
            access ->
                access.equals(BucketAccess.notExists())
                    ? S3.makeBucket(settings.bucket(), system, attributes)
                    : CompletableFuture.completedFuture(Done.getInstance()));
  }

  @Override
  public Sink<ByteString, CompletionStage<Long>> write(String key, String contentType) {
    AtomicLong count = new AtomicLong();
    return org.apache.pekko.stream.javadsl.Flow.<ByteString>create()
        .map(chunk -> {
          count.addAndGet(chunk.size());
          return chunk;
        })
        .toMat(S3.multipartUpload(settings.bucket(), MediaStore.checkKey(key), contentType(contentType)), Keep.right())
        .withAttributes(attributes)
        .mapMaterializedValue(stage -> stage.thenApply(result -> count.get()));
  }

  @Override
  public CompletionStage<Done> putFile(String key, Path file, String contentType) {
    long size;
    try {
      size = Files.size(file);
    } catch (java.io.IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return S3.putObject(settings.bucket(), MediaStore.checkKey(key), FileIO.fromPath(file), size, contentType(contentType))
        .withAttributes(attributes)
        .runWith(Sink.ignore(), system);
  }

  @Override
  public CompletionStage<Optional<StoredObject>> read(String key, Optional<Range> range) {
    MediaStore.checkKey(key);
    return S3.getObjectMetadata(settings.bucket(), key)
        .withAttributes(attributes)
        .runWith(Sink.head(), system)
        .thenApply(
            found -> found.map(metadata -> object(key, metadata, range)));
  }

  private StoredObject object(String key, ObjectMetadata metadata, Optional<Range> range) {
    long size = metadata.getContentLength();
    long start = range.map(Range::start).orElse(0L);
    long end = range.flatMap(Range::end).map(e -> Math.min(e, size - 1)).orElse(size - 1);
    long length = Math.max(0, end - start + 1);
    String type = metadata.getContentType().orElse(ContentTypes.APPLICATION_OCTET_STREAM.toString());
    if (length == 0) {
      return new StoredObject(size, start, 0, type, org.apache.pekko.stream.javadsl.Source.empty());
    }
    org.apache.pekko.stream.javadsl.Source<ByteString, NotUsed> data =
        (range.isPresent()
                ? S3.getObject(settings.bucket(), key, ByteRange.createSlice(start, end))
                : S3.getObject(settings.bucket(), key))
            .withAttributes(attributes)
            .mapMaterializedValue(m -> NotUsed.getInstance());
    return new StoredObject(size, start, length, type, data);
  }

  @Override
  public CompletionStage<Done> deletePrefix(String prefix) {
    return S3.deleteObjectsByPrefix(settings.bucket(), Optional.of(MediaStore.checkKey(prefix)))
        .withAttributes(attributes)
        .runWith(Sink.ignore(), system);
  }

  @Override
  public CompletionStage<List<String>> list(String prefix) {
    return S3.listBucket(settings.bucket(), Optional.of(MediaStore.checkKey(prefix)))
        .withAttributes(attributes)
        .map(contents -> contents.getKey())
        .runWith(Sink.seq(), system);
  }

  @Override
  public Optional<String> directUrl(String key) {
    if (settings.publicBaseUrl() == null || settings.publicBaseUrl().isBlank()) {
      return Optional.empty();
    }
    String base = settings.publicBaseUrl().endsWith("/") ? settings.publicBaseUrl() : settings.publicBaseUrl() + "/";
    return Optional.of(base + key);
  }

  private static ContentType contentType(String value) {
    return org.apache.pekko.http.javadsl.model.ContentTypes.parse(value);
  }
}
