package io.watchroom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node JVMs on loopback sharing PostgreSQL, watchers spread over the nodes in several rooms,
 * acting all the time. A node is killed with SIGKILL, or every node in turn is stopped with
 * SIGTERM and started again; rooms serve again through any node, and the journal shows that
 * nothing a client saw acknowledged was lost and that no room ever ran on two nodes at once.
 */
class ClusterFailoverTest {

  /** A liveness bound, not a speed target: the measured figures are in docs/benchmarks.md. */
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);

  @TempDir static Path workDir;
  private static ClusterScenario scenario;

  @BeforeAll
  static void startCluster() throws Exception {
    scenario = new ClusterScenario(workDir, 3, Map.of()).start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (scenario != null) {
      scenario.close();
    }
  }

  @BeforeEach
  void everyNodeRuns() throws Exception {
    for (LocalCluster.Node node : scenario.cluster.nodes()) {
      if (!node.isRunning()) {
        scenario.cluster.restart(node, ClusterScenario.READY_TIMEOUT);
      }
    }
  }

  @Test
  void aKilledNodesRoomsServeAgainFromAnotherNodeWithNothingLost() throws Exception {
    scenario.populate(6, 3);
    scenario.startActing(Duration.ofMillis(300));
    Thread.sleep(3000);

    LocalCluster.Node victim = scenario.busiestNode();
    Set<String> victimRooms = scenario.placement().get(victim.index);
    assertFalse(victimRooms.isEmpty(), "the killed node hosts rooms");
    int acknowledgedBefore = scenario.acknowledgedActions();

    long killedAt = System.nanoTime();
    scenario.cluster.kill(victim);
    Map<String, Long> recovery = scenario.awaitRecovery(killedAt, RECOVERY_BOUND);
    List<Long> victimTimes = victimRooms.stream().map(recovery::get).sorted().toList();
    System.out.printf(
        "Failover: killed node %d hosting %d of %d rooms; those served again after %s ms (others: %s ms)%n",
        victim.index, victimRooms.size(), scenario.rooms.size(), victimTimes,
        recovery.entrySet().stream().filter(e -> !victimRooms.contains(e.getKey())).map(Map.Entry::getValue).sorted().toList());

    Thread.sleep(2000);
    scenario.stopActing();
    assertTrue(scenario.acknowledgedActions() > acknowledgedBefore, "actions went on after the kill");

    // The rooms now live on the survivors only, each on exactly one.
    Map<Integer, Set<String>> placement = scenario.placement();
    assertFalse(placement.containsKey(victim.index));
    assertNoRoomOnTwoNodes(placement);
    assertNothingLost(scenario.rooms.keySet());
    for (String roomId : victimRooms) {
      assertTrue(
          JournalAudit.read(scenario.schema, roomId).incarnations().size() >= 2,
          roomId + " was recovered by a new incarnation on another node");
    }
  }

  @Test
  void aRollingRestartLosesNoRoomAndNoAction() throws Exception {
    Set<String> before = new HashSet<>(scenario.rooms.keySet());
    scenario.populate(4, 3);
    Set<String> ours = new HashSet<>(scenario.rooms.keySet());
    ours.removeAll(before);
    scenario.startActing(Duration.ofMillis(300));
    Thread.sleep(2000);
    int reconnectsBefore = scenario.reconnectMessages();

    List<Long> gaps = new ArrayList<>();
    for (LocalCluster.Node node : scenario.cluster.nodes()) {
      long stoppingAt = System.nanoTime();
      scenario.cluster.stop(node, Duration.ofSeconds(60));
      gaps.add((System.nanoTime() - stoppingAt) / 1_000_000);
      Map<String, Long> recovery = scenario.awaitRecovery(System.nanoTime(), RECOVERY_BOUND);
      scenario.cluster.restart(node, ClusterScenario.READY_TIMEOUT);
      System.out.printf(
          "Rolling restart: node %d left in %d ms (SIGTERM to exit); rooms acted again %s ms after it had left%n",
          node.index, gaps.get(gaps.size() - 1), recovery.values().stream().sorted().toList());
    }
    Thread.sleep(2000);
    scenario.stopActing();

    // Clients on a stopping node were told to reconnect rather than cut off.
    assertTrue(scenario.reconnectMessages() > reconnectsBefore, "reconnect messages were sent");
    assertNoRoomOnTwoNodes(scenario.placement());
    assertNothingLost(ours);
    for (String roomId : ours) {
      assertTrue(JournalAudit.read(scenario.schema, roomId).rows().size() > 3, roomId + " kept its history");
    }
  }

  private static void assertNoRoomOnTwoNodes(Map<Integer, Set<String>> placement) {
    Set<String> seen = new HashSet<>();
    for (Set<String> hosted : placement.values()) {
      for (String roomId : hosted) {
        assertTrue(seen.add(roomId), roomId + " is active on two nodes: " + placement);
      }
    }
  }

  /**
   * Every acknowledged action is in the journal; the journal's history is single-writer; the
   * recovered state is the newest persisted action, and the newest one clients saw.
   */
  private static void assertNothingLost(Set<String> roomIds) throws Exception {
    int checked = 0;
    for (String roomId : roomIds) {
      Watcher.RoomLog log = scenario.rooms.get(roomId);
      JournalAudit.History history = JournalAudit.read(scenario.schema, roomId);
      assertEquals(List.of(), history.violations(), "single-writer history of " + roomId);
      Set<Double> persisted = history.seekPositions();
      Set<Double> lost = new HashSet<>(log.acknowledged);
      lost.removeAll(persisted);
      assertEquals(Set.of(), lost, "acknowledged actions missing from the journal of " + roomId);
      checked += log.acknowledged.size();

      JsonNode state = scenario.roomState(roomId);
      double last = history.lastSeekPosition();
      assertEquals(last, state.at("/playback/position").asDouble(), "recovered clock of " + roomId);
    }
    assertTrue(checked > roomIds.size() * 10, "enough acknowledged actions were checked: " + checked);
    System.out.printf("Checked %d acknowledged actions in %d rooms: 0 lost%n", checked, roomIds.size());
  }
}
