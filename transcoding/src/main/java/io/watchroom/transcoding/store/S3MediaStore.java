package io.watchroom.transcoding.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
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
   * @param serving how browsers get media files
   * @param publicBaseUrl with {@link Serving#PUBLIC}, where browsers fetch media from (a public
   *     bucket or a CDN in front of it)
   * @param presignExpiry with {@link Serving#PRESIGNED}, how long a presigned URL works
   */
  public record Settings(
      String endpoint,
      String bucket,
      String region,
      String accessKey,
      String secretKey,
      boolean pathStyle,
      boolean createBucket,
      Serving serving,
      String publicBaseUrl,
      Duration presignExpiry) {

    public Settings {
      if (serving == Serving.PUBLIC && (publicBaseUrl == null || publicBaseUrl.isBlank())) {
        throw new IllegalArgumentException(
            "watchroom.media.s3.serving = public needs watchroom.media.s3.public-base-url (WATCHROOM_S3_PUBLIC_URL)");
      }
    }

    /** The same bucket and credentials, served another way. */
    public Settings withServing(Serving newServing, String newPublicBaseUrl, Duration newExpiry) {
      return new Settings(endpoint, bucket, region, accessKey, secretKey, pathStyle, createBucket, newServing, newPublicBaseUrl, newExpiry);
    }
  }

  /** How browsers get media files out of the bucket. */
  public enum Serving {
    /** Through the node, which reads the bucket (Range passed through); the bucket stays private. */
    PROXY,
    /** Redirected to the public base URL + key (a public bucket or a CDN). */
    PUBLIC,
    /**
     * Redirected to a presigned URL of the private bucket. Playlists and the thumbnail index still
     * come through the node: their relative references must resolve against the node, whose
     * answer for each is a fresh presigned URL, since a signature covers one object only.
     */
    PRESIGNED;

    /** "proxy", "public" or "presigned"; blank means public when a public base URL is set, else proxy. */
    public static Serving parse(String text, String publicBaseUrl) {
      String value = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
      if (value.isEmpty()) {
        return publicBaseUrl == null || publicBaseUrl.isBlank() ? PROXY : PUBLIC;
      }
      return switch (value) {
        case "proxy" -> PROXY;
        case "public" -> PUBLIC;
        case "presigned" -> PRESIGNED;
        default -> throw new IllegalArgumentException(
            "watchroom.media.s3.serving (WATCHROOM_S3_SERVING) must be proxy, public or presigned, was \"" + text + "\"");
      };
    }
  }

  private final ActorSystem<?> system;
  private final Settings settings;
  private final Attributes attributes;
  private final Optional<S3Presigner> presigner;

  public S3MediaStore(ActorSystem<?> system, Settings settings) {
    this(system, settings, InstantSource.system());
  }

  public S3MediaStore(ActorSystem<?> system, Settings settings, InstantSource clock) {
    this.system = system;
    this.settings = settings;
    this.attributes = S3Attributes.settings(connectorSettings(system.settings().config(), settings));
    this.presigner =
        settings.serving() == Serving.PRESIGNED
            ? Optional.of(
                new S3Presigner(settings.endpoint(), settings.bucket(), settings.pathStyle(), settings.region(),
                    settings.accessKey(), settings.secretKey(), settings.presignExpiry(), clock))
            : Optional.empty();
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
    MediaStore.checkKey(key);
    return switch (settings.serving()) {
      case PROXY -> Optional.empty();
      case PUBLIC -> {
        String base = settings.publicBaseUrl().endsWith("/") ? settings.publicBaseUrl() : settings.publicBaseUrl() + "/";
        yield Optional.of(base + key);
      }
      case PRESIGNED ->
          refersToSiblings(key) ? Optional.empty() : presigner.map(p -> p.presignGet(key));
    };
  }

  /** Playlists and the WebVTT index name other files by relative URL (see {@link Serving#PRESIGNED}). */
  private static boolean refersToSiblings(String key) {
    return key.endsWith(".m3u8") || key.endsWith(".vtt");
  }

  private static ContentType contentType(String value) {
    return org.apache.pekko.http.javadsl.model.ContentTypes.parse(value);
  }
}
