package io.watchroom.node;

import static io.watchroom.http.WsClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchroom.core.room.Room;
import io.watchroom.http.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes (two actor systems in this JVM) form a cluster over loopback and share one journal.
 * Clients connected to different nodes are in the same room; the room lives on one node only.
 */
class TwoNodeClusterTest {


  @TempDir static Path dataDir;
  private static WatchroomNode first;
  private static WatchroomNode second;

  @BeforeAll
  static void startCluster() throws Exception {
    first = WatchroomNode.start(TestNodes.h2(dataDir));
    second = WatchroomNode.start(TestNodes.withSeed(TestNodes.h2(dataDir), first));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (upMembers(first) < 2 || upMembers(second) < 2) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The two nodes did not form a cluster");
      }
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void clientsOnDifferentNodesShareARoom() throws Exception {
    String video = TestNodes.clipUrl();
    String annToken = TestNodes.guest(first, "Ann");
    String roomId = TestNodes.createRoom(first, annToken);
    try (WsClient ann = WsClient.join(TestNodes.ws(first, roomId), annToken);
        WsClient bob = WsClient.join(TestNodes.ws(second, roomId), TestNodes.guest(second, "Bob"))) {
      assertEquals("Bob", ann.await("member_joined").at("/member/name").asText());

      bob.send(msg("set_media").put("url", video));
      assertEquals(video, ann.await("media").get("url").asText());

      ann.send(msg("play"));
      assertTrue(bob.await("playback", p -> p.get("playing").asBoolean()).get("playing").asBoolean());

      bob.send(msg("seek").put("position", 37.5));
      assertEquals(37.5, ann.await("playback", p -> p.get("position").asDouble() == 37.5).get("position").asDouble());

      ann.send(msg("rate").put("rate", 0.5));
      assertEquals(0.5, bob.await("playback", p -> p.get("rate").asDouble() == 0.5).get("rate").asDouble());

      bob.send(msg("pause"));
      JsonNode paused = ann.await("playback", p -> !p.get("playing").asBoolean());
      assertTrue(paused.get("position").asDouble() >= 37.5);

      // Both nodes answer with the same room.
      assertEquals(TestNodes.getRoom(first, roomId).get("playback"), TestNodes.getRoom(second, roomId).get("playback"));
    }
  }

  @Test
  void eachRoomLivesOnExactlyOneNode() throws Exception {
    List<String> rooms = new ArrayList<>();
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        WatchroomNode creator = i % 2 == 0 ? first : second;
        String roomId = TestNodes.createRoom(creator, TestNodes.guest(creator, "Owner" + i));
        rooms.add(roomId);
        // Touch every room from both nodes.
        clients.add(WsClient.join(TestNodes.ws(first, roomId), TestNodes.guest(first, "A" + i)));
        clients.add(WsClient.join(TestNodes.ws(second, roomId), TestNodes.guest(second, "B" + i)));
      }
      Set<String> onFirst = hostedRooms(first);
      Set<String> onSecond = hostedRooms(second);
      for (String roomId : rooms) {
        assertTrue(onFirst.contains(roomId) ^ onSecond.contains(roomId),
            () -> roomId + " on first: " + onFirst.contains(roomId) + ", on second: " + onSecond.contains(roomId));
      }
      assertFalse(onFirst.isEmpty() && onSecond.isEmpty());
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  private static Set<String> hostedRooms(WatchroomNode node) throws Exception {
    CurrentShardRegionState state =
        AskPattern.<ClusterShardingQuery, CurrentShardRegionState>ask(
                ClusterSharding.get(node.system()).shardState(),
                replyTo -> new GetShardRegionState(Room.ENTITY_KEY, replyTo),
                Duration.ofSeconds(5),
                node.system().scheduler())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    return state.getShards().stream()
        .flatMap(shard -> shard.getEntityIds().stream())
        .collect(Collectors.toSet());
  }

  private static long upMembers(WatchroomNode node) {
    return java.util.stream.StreamSupport.stream(
            Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .count();
  }
}
