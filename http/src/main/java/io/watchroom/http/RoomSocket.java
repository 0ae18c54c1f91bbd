package io.watchroom.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchroom.core.room.Room;
import io.watchroom.http.auth.Authenticator;
import io.watchroom.http.links.LinkInspector;
import io.watchroom.http.protocol.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import kamon.Kamon;
import kamon.metric.RangeSampler;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;

/**
 * The stream side of one room WebSocket: incoming frames are size-checked, rate-limited and handed
 * to a {@link ClientSession}; the session's frames go out through a bounded buffer that fails the
 * connection when the client cannot keep up, so a slow reader never slows the room.
 */
public final class RoomSocket {

  private static final RangeSampler connections = Kamon.rangeSampler("watchroom.ws.connections").withoutTags();

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final HttpSettings settings;
  private final InstantSource clock;
  private final ObjectMapper mapper;
  private final Authenticator authenticator;
  private final LinkInspector links;
  private final UpdateFrames updateFrames;

  public RoomSocket(
      ActorSystem<?> system, HttpSettings settings, InstantSource clock, Authenticator authenticator, LinkInspector links) {
    this.links = links;
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.clock = clock;
    this.mapper = Json.mapper(system);
    this.authenticator = authenticator;
    this.updateFrames = new UpdateFrames(mapper);
  }

  /** A new connection to {@code roomId}, as a flow of WebSocket messages. */
  public Flow<Message, Message, NotUsed> connect(String roomId) {
    // Frames are encoded before they are queued: a session's own messages by the session, room
    // updates once per node for all its sessions (UpdateFrames).
    Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> outgoing =
        Source.<Message>queue(settings.outgoingBuffer()).preMaterialize(system);
    BoundedSourceQueue<Message> queue = outgoing.first();
    ClientSession.Connection connection =
        new ClientSession.Connection() {
          @Override
          public boolean send(ServerMessage message) {
            return offer(TextMessage.create(Json.write(mapper, message)));
          }

          @Override
          public boolean send(Room.Update update) {
            return offer(updateFrames.frame(update));
          }

          private boolean offer(Message frame) {
            QueueOfferResult result = queue.offer(frame);
            if (result == QueueOfferResult.dropped()) {
              queue.fail(new IllegalStateException("client too slow: outgoing buffer full"));
              return false;
            }
            return result == QueueOfferResult.enqueued();
          }

          @Override
          public void close() {
            // Completing a bounded queue still emits what it holds, so a last frame arrives.
            try {
              queue.complete();
            } catch (IllegalStateException alreadyEnded) {
              // Failed for a slow client, or closed before: nothing left to end.
            }
          }
        };

    ActorRef<ClientSession.Message> session =
        system.systemActorOf(
            ClientSession.create(
                roomId, connection, sharding, authenticator, links, clock, settings.askTimeout()),
            "session-" + Room.randomToken(12).replace('-', 'x').replace('_', 'y'),
            Props.empty());

    Sink<Message, NotUsed> in =
        Flow.<Message>create()
            .throttle(
                settings.messagesPerSecond(),
                Duration.ofSeconds(1),
                settings.messageBurst(),
                ThrottleMode.shaping())
            .mapAsync(1, this::toSessionMessage)
            .to(
                ActorSink.actorRef(
                    session, new ClientSession.SocketClosed(), failure -> new ClientSession.SocketClosed()));

    Source<Message, NotUsed> out =
        outgoing
            .second()
            .watchTermination(
                (notUsed, done) -> {
                  connections.increment();
                  done.whenComplete((d, failure) -> connections.decrement());
                  return NotUsed.getInstance();
                });

    // Not coupled: when the session ends the connection (kicked, shutting down), its last frames
    // must still go out before the close, and a client closing its side stops the session.
    return Flow.fromSinkAndSource(in, out);
  }

  private CompletionStage<ClientSession.Message> toSessionMessage(Message message) {
    int max = settings.maxFrameBytes();
    if (!message.isText()) {
      // Drain the frame so the connection can go on, then refuse it.
      return message
          .asBinaryMessage()
          .getStreamedData()
          .runWith(Sink.ignore(), system)
          .thenApply(
              done ->
                  new ClientSession.FrameRefused("unsupported", "Binary frames are not supported."));
    }
    TextMessage text = message.asTextMessage();
    if (text.isStrict()) {
      return CompletableFuture.completedFuture(checkSize(text.getStrictText(), max));
    }
    return text.getStreamedText()
        .limitWeighted(max, s -> (long) s.length())
        .runFold(new StringBuilder(), StringBuilder::append, system)
        .<ClientSession.Message>thenApply(sb -> checkSize(sb.toString(), max))
        .exceptionally(
            failure -> {
              Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
              if (cause instanceof StreamLimitReachedException) {
                return tooLarge(max);
              }
              return new ClientSession.SocketClosed();
            });
  }

  private static ClientSession.Message checkSize(String text, int max) {
    // Cheap check first: a UTF-8 string is never shorter in bytes than in chars.
    if (text.length() > max || text.getBytes(StandardCharsets.UTF_8).length > max) {
      return tooLarge(max);
    }
    return new ClientSession.FromClient(text);
  }

  private static ClientSession.Message tooLarge(int max) {
    return new ClientSession.FrameRefused(
        "too_large", "Frames are limited to " + (max / 1024) + " KiB.");
  }
}
