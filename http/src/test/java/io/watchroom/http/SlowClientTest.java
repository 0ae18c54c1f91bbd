package io.watchroom.http;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading is disconnected once its outgoing buffer is full, and the room
 * goes on for everyone else.
 */
class SlowClientTest {

  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("SlowClientTest", ConfigFactory.parseResources("slow-client.conf"));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void aClientThatDoesNotReadIsDroppedAndTheRoomGoesOn() throws Exception {
    String annToken = node.guest("Ann");
    String roomId = node.createRoom(annToken, "{}");
    String slothToken = node.guest("Sloth");
    try (WsClient ann = WsClient.join(node.wsUrl(roomId), annToken)) {
      RoomSocket socket = node.roomSocket();
      // Join, and once the room has the member, flood the server with clock probes, each
      // answered with a frame that nobody reads: the outgoing buffer holds 8 (plus the stream's
      // own small input buffers).
      Pair<BoundedSourceQueue<Message>, Source<Message, NotUsed>> input =
          Source.<Message>queue(128).preMaterialize(node.system);
      TestSubscriber.Probe<Message> fromServer =
          input.second()
              .via(socket.connect(roomId))
              .toMat(TestSink.probe(node.system.classicSystem()), Keep.right())
              .run(node.system);
      input.first().offer(TextMessage.create("{\"type\":\"join\",\"token\":\"" + slothToken + "\"}"));
      assertEquals("Sloth", ann.await("member_joined").at("/member/name").asText());
      for (int i = 0; i < 60; i++) {
        input.first().offer(TextMessage.create("{\"type\":\"time\",\"t0\":" + i + "}"));
      }

      // The room drops the slow member while nothing has been read yet...
      assertEquals("Sloth", ann.await("member_left").at("/member/name").asText());
      // ...and the slow socket ends in a failure after whatever was buffered.
      fromServer.request(1_000);
      boolean failed = false;
      for (int i = 0; i < 100 && !failed; i++) {
        failed = fromServer.expectNextOrError().isLeft();
      }
      assertTrue(failed, "the slow connection was not failed");

      ann.send(msg("time").put("t0", 1));
      ann.await("time");
    }
  }
}
