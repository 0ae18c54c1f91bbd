package io.watchroom.http;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When the node starts to leave (coordinated shutdown publishes {@link ClientSession.Drain} on
 * the event stream), every connected client, joined or not, is told to reconnect and its
 * connection is closed.
 */
class NodeLeavingTest {

  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("NodeLeavingTest");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void everyClientIsToldToReconnectAndDisconnected() throws Exception {
    String annToken = node.guest("Ann");
    String roomId = node.createRoom(annToken, "{}");
    try (WsClient ann = WsClient.join(node.wsUrl(roomId), annToken);
        WsClient bob = WsClient.join(node.wsUrl(roomId), node.guest("Bob"));
        WsClient stranger = WsClient.connect(node.wsUrl(roomId))) {
      ann.await("member_joined");
      stranger.send(msg("time").put("t0", 1));
      stranger.await("time");

      node.system.eventStream().tell(new EventStream.Publish<>(new ClientSession.Drain(ClientSession.Drain.SHUTDOWN)));

      for (WsClient client : new WsClient[] {ann, bob, stranger}) {
        JsonNode reconnect = client.await("reconnect");
        assertEquals("shutdown", reconnect.get("reason").asText());
        assertEquals(1000, client.closed().get(10, TimeUnit.SECONDS));
      }
    }
    // The node's rooms are untouched: the next client joins as before.
    try (WsClient carol = WsClient.join(node.wsUrl(roomId), node.guest("Carol"))) {
      assertEquals(roomId, carol.welcome().at("/room/id").asText());
    }
  }
}
