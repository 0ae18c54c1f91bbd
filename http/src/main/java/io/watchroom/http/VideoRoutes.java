package io.watchroom.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.core.Rejection;
import io.watchroom.core.video.Video;
import io.watchroom.core.video.VideoCatalog;
import io.watchroom.http.video.OwnerIdentity;
import io.watchroom.http.video.RecentViewers;
import io.watchroom.http.video.VideoView;
import io.watchroom.transcoding.TranscodeJob;
import io.watchroom.transcoding.store.MediaStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Uploads and videos: tus 1.0 (core, creation, termination) under {@code /api/uploads}, the
 * catalog and each video under {@code /api/videos}, a video's live status as Server-Sent Events,
 * and its media files (with Range). Documented in docs/videos.md.
 *
 * <p>An upload's bytes stream from the request into the media store chunk by chunk (each PATCH
 * body is one stored part), never held in memory; the Video entity records each part at the offset
 * it belongs to and refuses anything else, so parallel or repeated PATCHes cannot corrupt a file.
 */
public final class VideoRoutes {

  static final String TUS_VERSION = "1.0.0";
  private static final Pattern MEDIA_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.(m3u8|m4s|mp4|jpg|vtt)");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  static final int MAX_LIMIT = 100;
  private static final String MASTER = "master.m3u8";

  /** Everything the video routes need from the node. */
  public record Services(
      MediaStore store, VideoCatalog catalog, OwnerIdentity identity, long maxUploadBytes, ClientAddresses addresses) {}

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final HttpSettings settings;
  private final Services services;
  private final ObjectMapper mapper;
  private final ApiErrors errors;
  private final Executor blocking;
  private final RecentViewers viewers = new RecentViewers();

  public VideoRoutes(ActorSystem<?> system, HttpSettings settings, Services services) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.services = services;
    this.mapper = Json.mapper(system);
    this.errors = new ApiErrors(mapper);
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  public Route routes() {
    return concat(
        pathPrefix("uploads", this::uploads),
        pathPrefix("videos", this::videos));
  }

  // ---------------------------------------------------------------------------------------------
  // tus

  private Route uploads() {
    return respondWithHeader(
        RawHeader.create("Tus-Resumable", TUS_VERSION),
        () ->
            concat(
                pathEndOrSingleSlash(
                    () -> concat(options(this::tusOptions), post(() -> tusChecked(this::createUpload)))),
                path(
                    PathMatchers.segment(),
                    id ->
                        concat(
                            head(() -> tusChecked(() -> uploadOffset(id))),
                            get(() -> tusChecked(() -> uploadOffset(id))),
                            patch(() -> tusChecked(() -> appendChunk(id))),
                            delete(() -> tusChecked(() -> deleteVideo(id, true)))))));
  }

  private Route tusOptions() {
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.NO_CONTENT)
            .addHeader(RawHeader.create("Tus-Version", TUS_VERSION))
            .addHeader(RawHeader.create("Tus-Extension", "creation,termination"))
            .addHeader(RawHeader.create("Tus-Max-Size", Long.toString(services.maxUploadBytes()))));
  }

  /** tus: a client speaking another protocol version is refused with 412. */
  private Route tusChecked(java.util.function.Supplier<Route> inner) {
    return extractRequest(
        request -> {
          Optional<String> version = request.getHeader("Tus-Resumable").map(HttpHeader::value);
          if (version.isPresent() && !version.get().strip().equals(TUS_VERSION)) {
            return complete(
                errors.response(StatusCodes.PRECONDITION_FAILED, "unsupported_version", "This server speaks tus " + TUS_VERSION + ".")
                    .addHeader(RawHeader.create("Tus-Version", TUS_VERSION)));
          }
          return inner.get();
        });
  }

  private Route createUpload() {
    return withOwner(
        owner ->
            extractRequest(
                request -> {
                  long length;
                  try {
                    length = Long.parseLong(request.getHeader("Upload-Length").map(HttpHeader::value).orElse("").strip());
                  } catch (NumberFormatException e) {
                    return errors.complete(StatusCodes.BAD_REQUEST, "bad_request",
                        "Upload-Length (the file size in bytes) is required; deferred lengths are not supported.");
                  }
                  if (length > services.maxUploadBytes()) {
                    return errors.complete(StatusCodes.PAYLOAD_TOO_LARGE, "too_large",
                        "Uploads are limited to " + services.maxUploadBytes() + " bytes.");
                  }
                  Map<String, String> metadata;
                  try {
                    metadata = metadata(request.getHeader("Upload-Metadata").map(HttpHeader::value).orElse(""));
                  } catch (IllegalArgumentException e) {
                    return errors.complete(StatusCodes.BAD_REQUEST, "bad_request", e.getMessage());
                  }
                  String id = Video.newId();
                  CompletionStage<Done> registered =
                      video(id).askWithStatus(
                          replyTo -> new Video.Register(owner, metadata.get("title"), metadata.getOrDefault("filename", ""), length, replyTo),
                          settings.askTimeout());
                  return onComplete(
                      registered,
                      result ->
                          result.isSuccess()
                              ? complete(
                                  HttpResponse.create()
                                      .withStatus(StatusCodes.CREATED)
                                      .addHeader(Location.create("/api/uploads/" + id))
                                      .addHeader(RawHeader.create("Upload-Offset", "0"))
                                      .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(mapper, Map.of("id", id)))))
                              : failure(result.failed().get()));
                }));
  }

  /** tus Upload-Metadata: comma-separated "key base64value" pairs. */
  static Map<String, String> metadata(String header) {
    Map<String, String> values = new HashMap<>();
    if (header.isBlank()) {
      return values;
    }
    if (header.length() > 4096) {
      throw new IllegalArgumentException("Upload-Metadata is too long.");
    }
    for (String pair : header.split(",")) {
      String[] parts = pair.strip().split(" ", 2);
      if (parts[0].isEmpty()) {
        continue;
      }
      try {
        values.put(parts[0], parts.length < 2 ? "" : new String(Base64.getDecoder().decode(parts[1].strip()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Upload-Metadata values must be base64.");
      }
    }
    return values;
  }

  private Route uploadOffset(String id) {
    return withVideo(
        id,
        status -> {
          if (!(status.state() instanceof Video.Existing existing)) {
            return notFound();
          }
          long offset =
              status.state() instanceof Video.Uploading uploading ? uploading.offset() : existing.info().length();
          return complete(
              HttpResponse.create()
                  .withStatus(StatusCodes.OK)
                  .addHeader(RawHeader.create("Upload-Offset", Long.toString(offset)))
                  .addHeader(RawHeader.create("Upload-Length", Long.toString(existing.info().length())))
                  .addHeader(CacheControl.create(CacheDirectives.NO_STORE)));
        });
  }

  private Route appendChunk(String id) {
    return withOwner(
        owner ->
            extractRequest(
                request -> {
                  String type = request.entity().getContentType().mediaType().toString();
                  if (!type.equals("application/offset+octet-stream")) {
                    return errors.complete(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                        "A chunk is sent as application/offset+octet-stream.");
                  }
                  long offset;
                  try {
                    offset = Long.parseLong(request.getHeader("Upload-Offset").map(HttpHeader::value).orElse("").strip());
                  } catch (NumberFormatException e) {
                    return errors.complete(StatusCodes.BAD_REQUEST, "bad_request", "Upload-Offset is required.");
                  }
                  return withVideo(
                      id,
                      status -> {
                        if (!(status.state() instanceof Video.Uploading uploading)) {
                          return status.state() instanceof Video.Existing
                              ? errors.complete(StatusCodes.CONFLICT, Rejection.WRONG_STATE, "This upload is complete.")
                              : notFound();
                        }
                        if (!uploading.info().owner().equals(owner)) {
                          return errors.complete(StatusCodes.FORBIDDEN, Rejection.FORBIDDEN, "Only the uploader may send this file.");
                        }
                        if (offset != uploading.offset()) {
                          return errors.complete(StatusCodes.CONFLICT, Rejection.OFFSET_MISMATCH,
                              "The upload stands at byte " + uploading.offset() + ".");
                        }
                        long remaining = uploading.info().length() - offset;
                        return store(id, offset, remaining);
                      });
                }));
  }

  /** Streams the request body into the store as the chunk at {@code offset}, then records it. */
  private Route store(String id, long offset, long remaining) {
    String key = TranscodeJob.uploadPrefix(id) + String.format("%016d-%s", offset, UUID.randomUUID());
    return withSizeLimit(
        remaining,
        () ->
            withRequestTimeout(
                settings.uploadTimeout(),
                () ->
                    extractDataBytes(
                        data -> {
                          CompletionStage<Long> recorded =
                              data.runWith(services.store().write(key, "application/octet-stream"), system)
                                  .thenCompose(
                                      written ->
                                          video(id)
                                              .<Long>askWithStatus(
                                                  replyTo -> new Video.StoreChunk(offset, written, key, replyTo),
                                                  settings.askTimeout())
                                              .whenComplete(
                                                  (newOffset, failure) -> {
                                                    if (failure != null || written == 0) {
                                                      services.store().deletePrefix(key);
                                                    }
                                                  }));
                          return onComplete(
                              recorded,
                              result ->
                                  result.isSuccess()
                                      ? complete(
                                          HttpResponse.create()
                                              .withStatus(StatusCodes.NO_CONTENT)
                                              .addHeader(RawHeader.create("Upload-Offset", Long.toString(result.get()))))
                                      : failure(result.failed().get()));
                        })));
  }

  // ---------------------------------------------------------------------------------------------
  // Videos

  private Route videos() {
    return concat(
        pathEndOrSingleSlash(() -> get(this::listVideos)),
        pathPrefix(
            PathMatchers.segment(),
            id ->
                concat(
                    pathEnd(
                        () ->
                            concat(
                                get(() -> getVideo(id)),
                                delete(() -> deleteVideo(id, false)))),
                    path("events", () -> get(() -> events(id))),
                    pathPrefix("media", () -> path(PathMatchers.remaining(), file -> get(() -> media(id, file)))))));
  }

  private Route listVideos() {
    return parameterOptional(
        "q",
        query ->
            parameterOptional(
                "offset",
                offsetText ->
                    parameterOptional(
                        "limit",
                        limitText -> {
                          int offset;
                          int limit;
                          try {
                            offset = offsetText.map(Integer::parseInt).orElse(0);
                            limit = limitText.map(Integer::parseInt).orElse(20);
                          } catch (NumberFormatException e) {
                            return errors.complete(StatusCodes.BAD_REQUEST, "invalid", "offset and limit must be whole numbers.");
                          }
                          if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
                            return errors.complete(StatusCodes.BAD_REQUEST, "invalid",
                                "offset must be 0 or more and limit between 1 and " + MAX_LIMIT + ".");
                          }
                          String q = query.orElse("");
                          if (q.length() > Video.MAX_TITLE_LENGTH) {
                            return errors.complete(StatusCodes.BAD_REQUEST, "invalid", "A search has at most " + Video.MAX_TITLE_LENGTH + " characters.");
                          }
                          CompletionStage<VideoView.CatalogPage> page =
                              CompletableFuture.supplyAsync(
                                  () -> {
                                    try {
                                      VideoCatalog.Page p = services.catalog().published(q, offset, limit);
                                      return new VideoView.CatalogPage(
                                          p.items().stream().map(VideoView.CatalogItem::of).toList(), p.total(), p.offset(), p.limit());
                                    } catch (java.sql.SQLException e) {
                                      throw new CompletionException(e);
                                    }
                                  },
                                  blocking);
                          return onComplete(
                              page,
                              result -> result.isSuccess() ? json(StatusCodes.OK, result.get()) : errors.failure(result.failed().get()));
                        })));
  }

  private Route getVideo(String id) {
    return withRequester(
        requester ->
            withVideo(
                id,
                status ->
                    status.state() instanceof Video.Existing && !(status.state() instanceof Video.Removed)
                        ? json(StatusCodes.OK, VideoView.of(status, requester.orElse(null)))
                        : notFound()));
  }

  /** Deleting a video (or terminating its upload) removes its files too; only the owner may. */
  private Route deleteVideo(String id, boolean tus) {
    return withOwner(
        owner -> {
          if (!Video.isWellFormedId(id)) {
            return notFound();
          }
          CompletionStage<Done> deleted =
              video(id)
                  .<Done>askWithStatus(replyTo -> new Video.Delete(owner, replyTo), settings.askTimeout())
                  .thenCompose(d -> services.store().deletePrefix(TranscodeJob.uploadPrefix(id)))
                  .thenCompose(d -> services.store().deletePrefix(TranscodeJob.videoPrefix(id)));
          return onComplete(
              deleted,
              result -> result.isSuccess() ? complete(StatusCodes.NO_CONTENT) : failure(result.failed().get()));
        });
  }

  /**
   * Server-Sent Events: the video's status every half second (so at least one a second) until it
   * is published, failed or deleted. Polling the entity keeps this correct across node moves.
   */
  private Route events(String id) {
    if (!Video.isWellFormedId(id)) {
      return notFound();
    }
    return withRequester(
        owner -> {
          String requester = owner.orElse(null);
          Source<ServerSentEvent, org.apache.pekko.NotUsed> events =
              Source.tick(Duration.ZERO, Duration.ofMillis(500), "tick")
                  .mapAsync(1, tick -> video(id).<Video.Status>askWithStatus(Video.Get::new, settings.askTimeout()))
                  .map(status -> VideoView.of(status, requester))
                  .takeWhile(view -> !view.finished(), true)
                  .map(view -> ServerSentEvent.create(Json.write(mapper, view), "status"))
                  .recover(
                      org.apache.pekko.japi.pf.PFBuilder.<Throwable, ServerSentEvent>create()
                          .matchAny(failure -> ServerSentEvent.create(
                              Json.write(mapper, errorBody(failure)), "error"))
                          .build())
                  .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat)
                  .mapMaterializedValue(cancellable -> org.apache.pekko.NotUsed.getInstance());
          return completeOK(events, EventStreamMarshalling.toEventStream());
        });
  }

  private Map<String, String> errorBody(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof Rejection rejection) {
      return Map.of("code", rejection.code(), "message", rejection.getMessage());
    }
    return Map.of("code", "unavailable", "message", "The video did not answer in time; reload to try again.");
  }

  private Route media(String id, String file) {
    if (!Video.isWellFormedId(id) || !MEDIA_PATH.matcher(file).matches()) {
      return notFound();
    }
    String key = TranscodeJob.videoPrefix(id) + file;
    ContentType type = ContentTypes.parse(io.watchroom.transcoding.store.ContentTypes.of(key));
    CacheControl cache =
        file.endsWith(".m3u8")
            ? CacheControl.create(CacheDirectives.NO_CACHE)
            : CacheControl.create(CacheDirectives.PUBLIC, CacheDirectives.MAX_AGE(3600));
    if (file.equals(MASTER)) {
      // A view is a player loading the video, which fetches the master playlist once; rendition
      // playlists, segments, posters and thumbnails are not views. One view per viewer address
      // and window (RecentViewers); the entity ignores it unless the video is published.
      return services.addresses().withClientAddress(
          address -> {
            if (viewers.firstLoad(id, address)) {
              video(id).tell(new Video.RecordView());
            }
            return mediaFile(key, type, cache);
          });
    }
    return mediaFile(key, type, cache);
  }

  private Route mediaFile(String key, ContentType type, CacheControl cache) {
    Optional<String> direct = services.store().directUrl(key);
    if (direct.isPresent()) {
      return redirect(org.apache.pekko.http.javadsl.model.Uri.create(direct.get()), StatusCodes.FOUND);
    }
    return respondWithHeader(
        cache,
        () -> {
          Optional<java.nio.file.Path> local = services.store().localFile(key);
          if (local.isPresent()) {
            // Pekko serves files with Range, If-Modified-Since and ETag
            return getFromFile(local.get().toFile(), type);
          }
          return extractRequest(request -> proxy(key, type, request));
        });
  }

  /** Streams an object from the store, honouring a single byte range. */
  private Route proxy(String key, ContentType type, HttpRequest request) {
    Optional<MediaStore.Range> range = request.getHeader("Range").flatMap(h -> parseRange(h.value()));
    return onComplete(
        services.store().read(key, range),
        result -> {
          if (result.isFailure()) {
            return errors.failure(result.failed().get());
          }
          if (result.get().isEmpty()) {
            return notFound();
          }
          MediaStore.StoredObject object = result.get().get();
          if (range.isPresent() && object.start() >= object.size()) {
            return complete(
                HttpResponse.create()
                    .withStatus(StatusCodes.RANGE_NOT_SATISFIABLE)
                    .addHeader(RawHeader.create("Content-Range", "bytes */" + object.size())));
          }
          HttpResponse response =
              HttpResponse.create()
                  .withStatus(object.partial() ? StatusCodes.PARTIAL_CONTENT : StatusCodes.OK)
                  .addHeader(RawHeader.create("Accept-Ranges", "bytes"))
                  .withEntity(HttpEntities.create(type, object.length(), object.data()));
          if (object.partial()) {
            response =
                response.addHeader(
                    RawHeader.create(
                        "Content-Range",
                        "bytes " + object.start() + "-" + (object.start() + object.length() - 1) + "/" + object.size()));
          }
          return complete(response);
        });
  }

  /** A single "bytes=a-b" or "bytes=a-" range; anything else is served whole. */
  static Optional<MediaStore.Range> parseRange(String header) {
    Matcher m = RANGE.matcher(header.strip());
    if (!m.matches() || m.group(1).isEmpty()) {
      return Optional.empty();
    }
    try {
      long start = Long.parseLong(m.group(1));
      Optional<Long> end = m.group(2).isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(m.group(2)));
      if (end.isPresent() && end.get() < start) {
        return Optional.empty();
      }
      return Optional.of(new MediaStore.Range(start, end));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private Route withOwner(Function<String, Route> inner) {
    return withRequester(
        owner ->
            owner
                .map(inner)
                .orElseGet(
                    () ->
                        errors.complete(StatusCodes.UNAUTHORIZED, "unauthorized",
                            "Send Authorization: Bearer <session token> (POST /api/session) to upload or delete videos.")));
  }

  /** Runs {@code inner} with the sender's owner id, if the request proves one. */
  private Route withRequester(Function<Optional<String>, Route> inner) {
    return extractRequest(request -> onSuccess(services.identity().ownerOf(request), inner));
  }

  private Route withVideo(String id, Function<Video.Status, Route> inner) {
    if (!Video.isWellFormedId(id)) {
      return notFound();
    }
    return onComplete(
        video(id).<Video.Status>askWithStatus(Video.Get::new, settings.askTimeout()),
        result -> result.isSuccess() ? inner.apply(result.get()) : failure(result.failed().get()));
  }

  private Route failure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof Rejection rejection) {
      return errors.rejected(rejection);
    }
    for (Throwable c = cause; c != null; c = c.getCause()) {
      // the body was cut at the upload's remaining length (the store wraps the reason)
      if (c instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
        return errors.complete(StatusCodes.PAYLOAD_TOO_LARGE, "too_large", "The chunk goes past the declared length.");
      }
    }
    return errors.failure(cause);
  }

  private Route notFound() {
    return errors.complete(StatusCodes.NOT_FOUND, "not_found", "There is no video with this id.");
  }

  private Route json(StatusCode status, Object body) {
    return complete(
        HttpResponse.create()
            .withStatus(status)
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(mapper, body))));
  }

  private EntityRef<Video.Command> video(String id) {
    return sharding.entityRefFor(Video.ENTITY_KEY, id);
  }

  static List<String> exposedHeaders() {
    return List.of("Location", "Upload-Offset", "Upload-Length", "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size");
  }
}
