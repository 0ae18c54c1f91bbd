package io.watchroom.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.core.Rejection;
import io.watchroom.core.room.Room;
import io.watchroom.core.room.RoomSettings.Visibility;
import io.watchroom.http.auth.Authentication;
import io.watchroom.http.auth.Identity;
import io.watchroom.http.links.LinkInspector;
import io.watchroom.http.protocol.ClientMessage;
import io.watchroom.http.protocol.RoomView;
import io.watchroom.http.protocol.ChatView;
import io.watchroom.http.protocol.DirectoryView;
import io.watchroom.core.chat.ChatHistory;
import io.watchroom.core.room.Role;
import io.watchroom.core.room.RoomHistory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /api/rooms/{id}}: create a room, read it, and open its WebSocket. */
public final class RoomRoutes {

  private final ClusterSharding sharding;
  private final HttpSettings settings;
  private final InstantSource clock;
  private final ObjectMapper mapper;
  private final ApiErrors errors;
  private final Authentication authentication;
  private final RoomSocket socket;
  private final RoomQueries queries;

  public RoomRoutes(
      ActorSystem<?> system,
      HttpSettings settings,
      InstantSource clock,
      Authentication authentication,
      RoomQueries queries,
      LinkInspector links) {
    this.queries = queries;
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.clock = clock;
    this.mapper = Json.mapper(system);
    this.errors = new ApiErrors(mapper);
    this.authentication = authentication;
    this.socket = new RoomSocket(system, settings, clock, authentication.authenticator(), links);
  }

  /** Routes under {@code /api/rooms}; {@code extra} adds more per-room routes (chat, history). */
  public Route routes() {
    return pathPrefix(
        "rooms",
        () ->
            concat(
                pathEndOrSingleSlash(
                    () ->
                        concat(
                            post(() -> authentication.withIdentity(this::createRoom)),
                            get(this::listPublicRooms))),
                pathPrefix(
                    PathMatchers.segment(),
                    roomId ->
                        concat(
                            pathEnd(() -> get(() -> getRoom(roomId))),
                            path("ws", () -> get(() -> openSocket(roomId))),
                            path("chat", () -> get(() -> chatHistory(roomId))),
                            pathPrefix(
                                "history",
                                () ->
                                    concat(
                                        pathEnd(() -> get(() -> history(roomId))),
                                        path("state", () -> get(() -> historyState(roomId)))))))));
  }

  // --- read side ---------------------------------------------------------------------------------

  private Route listPublicRooms() {
    return parameterOptional(
        "limit",
        limit ->
            parameterOptional(
                "offset",
                offset -> {
                  int size = boundedInt("limit", limit, 50, 1, 100);
                  int from = boundedInt("offset", offset, 0, 0, 10_000);
                  return onSuccess(
                      CompletableFuture.supplyAsync(
                          () -> queries.directory().publicRooms(size, from, clock.millis()), queries.blocking()),
                      rooms -> json(Map.of("rooms", rooms.stream().map(DirectoryView::of).toList())));
                }));
  }

  private Route chatHistory(String roomId) {
    return authentication.withOptionalIdentity(
        viewer ->
            withSnapshot(
                roomId,
                viewer,
                snapshot ->
                    parameterOptional(
                        "before",
                        before ->
                            parameterOptional(
                                "limit",
                                limit -> {
                                  Long beforeId = before.isEmpty() ? null : (long) boundedInt("before", before, 0, 1, Integer.MAX_VALUE);
                                  int size = boundedInt("limit", limit, 50, 1, ChatHistory.MAX_PAGE);
                                  return onSuccess(
                                      CompletableFuture.supplyAsync(
                                          () -> queries.chat().before(roomId, beforeId, size), queries.blocking()),
                                      page ->
                                          json(
                                              Map.of(
                                                  "messages", page.messages().stream().map(ChatView::of).toList(),
                                                  "hasMore", page.hasMore())));
                                }))));
  }

  /** History is open to whoever may see the room, except that a private room's is for moderators. */
  private Route withHistoryAccess(String roomId, Supplier<Route> inner) {
    return authentication.withOptionalIdentity(
        viewer ->
            withSnapshot(
                roomId,
                viewer,
                snapshot -> {
                  boolean privateRoom = snapshot.room().settings().visibility() == Visibility.PRIVATE;
                  if (privateRoom && !snapshot.viewerRole().atLeast(Role.MODERATOR)) {
                    return errors.complete(
                        StatusCodes.FORBIDDEN, "forbidden", "Only the owner and moderators may read a private room's history.");
                  }
                  return inner.get();
                }));
  }

  private Route history(String roomId) {
    return withHistoryAccess(
        roomId,
        () ->
            parameterOptional(
                "from",
                from ->
                    parameterOptional(
                        "limit",
                        limit -> {
                          long fromSeq = boundedInt("from", from, 1, 1, Integer.MAX_VALUE);
                          int size = boundedInt("limit", limit, 100, 1, RoomHistory.MAX_PAGE);
                          return onSuccess(
                              queries.history().events(roomId, fromSeq, size + 1),
                              entries -> {
                                List<RoomHistory.Entry> page = entries.subList(0, Math.min(size, entries.size()));
                                Map<String, Object> body = new LinkedHashMap<>();
                                body.put("events", page.stream().map(this::historyEntry).toList());
                                body.put("next", entries.size() > size ? entries.get(size).seq() : null);
                                return json(body);
                              });
                        })));
  }

  private Route historyState(String roomId) {
    return withHistoryAccess(
        roomId,
        () ->
            parameter(
                "at",
                at -> {
                  long seq = boundedInt("at", Optional.of(at), 1, 1, Integer.MAX_VALUE);
                  return onSuccess(
                      queries.history().stateAt(roomId, seq),
                      state -> {
                        if (state.isEmpty()) {
                          return errors.complete(StatusCodes.NOT_FOUND, "not_found", "The room has no event " + seq + ".");
                        }
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("seq", state.get().seq());
                        body.put("at", state.get().at());
                        body.put(
                            "room",
                            state.get().state() instanceof Room.Open open
                                ? RoomView.of(open, Map.of(), Role.OWNER, state.get().at())
                                : null);
                        return json(body);
                      });
                }));
  }

  private Map<String, Object> historyEntry(RoomHistory.Entry entry) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("seq", entry.seq());
    body.put("at", entry.event().at());
    body.put("by", entry.event().by());
    body.put("type", entry.event().getClass().getSimpleName());
    body.put("event", mapper.valueToTree(entry.event()));
    return body;
  }

  private static int boundedInt(String name, Optional<String> raw, int fallback, int min, int max) {
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw ApiProblem.invalid(name + " must be between " + min + " and " + max + ".");
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid(name + " must be a whole number.");
    }
  }

  private Route json(Object body) {
    return complete(
        HttpResponse.create()
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(mapper, body))));
  }

  private Route createRoom(Identity owner) {
    return withSizeLimit(
        settings.maxRequestBytes(),
        () ->
            extractStrictEntity(
                settings.askTimeout(),
                entity -> {
                  RequestBody body = RequestBody.parse(entity.getData().utf8String(), mapper);
                  String title = body.string("title", false, Room.MAX_TITLE_LENGTH);
                  Visibility visibility = visibility(body.string("visibility", false, 16));
                  var temporaryNode = body.node("temporary");
                  if (temporaryNode != null && !temporaryNode.isNull() && !temporaryNode.isBoolean()) {
                    throw ApiProblem.invalid("temporary must be true or false.");
                  }
                  boolean temporary = temporaryNode != null && temporaryNode.asBoolean(false);
                  String id = Room.newId();
                  CompletionStage<Done> created =
                      room(id).askWithStatus(
                          replyTo -> new Room.Create(owner.userId(), title, visibility, temporary, replyTo),
                          settings.askTimeout());
                  return onComplete(
                      created,
                      result ->
                          result.isSuccess()
                              ? complete(
                                  HttpResponse.create()
                                      .withStatus(StatusCodes.CREATED)
                                      .addHeader(Location.create("/rooms/" + id))
                                      .withEntity(
                                          HttpEntities.create(
                                              ContentTypes.APPLICATION_JSON,
                                              Json.write(mapper, Map.of("id", id)))))
                              : errors.failure(result.failed().get()));
                }));
  }

  private static Visibility visibility(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Visibility.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("visibility must be public, unlisted or private.");
    }
  }

  private Route getRoom(String roomId) {
    return authentication.withOptionalIdentity(
        viewer ->
            withSnapshot(
                roomId,
                viewer,
                snapshot ->
                    complete(
                        HttpResponse.create()
                            .withEntity(
                                HttpEntities.create(
                                    ContentTypes.APPLICATION_JSON,
                                    Json.write(
                                        mapper,
                                        RoomView.of(snapshot.room(), snapshot.presence(), snapshot.viewerRole(), clock.millis())))))));
  }

  private Route openSocket(String roomId) {
    // Refuse before the upgrade, so a mistyped link gets a 404 rather than a socket that fails.
    // Whether this client may enter (a private room's invite) is checked when it joins.
    if (!Room.isWellFormedId(roomId)) {
      return notFound();
    }
    return onComplete(
        room(roomId).<Room.Snapshot>askWithStatus(r -> new Room.GetState(null, null, r), settings.askTimeout()),
        result -> {
          Throwable failure = result.isSuccess() ? null : result.failed().get();
          boolean exists =
              failure == null
                  || (failure instanceof Rejection rejection && rejection.code().equals(Rejection.FORBIDDEN));
          return exists ? handleWebSocketMessages(socket.connect(roomId)) : errors.failure(failure);
        });
  }

  /**
   * Runs {@code inner} with the room as {@code viewer} may see it (a private room wants {@code
   * ?invite=} or a place in it), or answers why there is none.
   */
  public Route withSnapshot(String roomId, Optional<Identity> viewer, Function<Room.Snapshot, Route> inner) {
    if (!Room.isWellFormedId(roomId)) {
      return notFound();
    }
    return parameterOptional(
        "invite",
        invite -> {
          if (invite.isPresent() && invite.get().length() > ClientMessage.MAX_REF_LENGTH) {
            return errors.complete(StatusCodes.BAD_REQUEST, "invalid", "invite is too long.");
          }
          return onComplete(
              room(roomId).<Room.Snapshot>askWithStatus(
                  r -> new Room.GetState(viewer.map(Identity::userId).orElse(null), invite.orElse(null), r),
                  settings.askTimeout()),
              result -> result.isSuccess() ? inner.apply(result.get()) : errors.failure(result.failed().get()));
        });
  }

  private Route notFound() {
    return errors.complete(StatusCodes.NOT_FOUND, "not_found", "There is no room with this id.");
  }

  private EntityRef<Room.Command> room(String roomId) {
    return sharding.entityRefFor(Room.ENTITY_KEY, roomId);
  }
}
