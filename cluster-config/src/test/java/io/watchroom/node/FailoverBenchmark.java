package io.watchroom.node;

import io.watchroom.node.bench.Stats;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Repeats the failover of {@link ClusterFailoverTest} for a number of rounds: three node JVMs on
 * PostgreSQL, 6 rooms of 3 acting watchers; each round kills (SIGKILL) the node hosting the most
 * rooms, measures how long until each of its rooms acknowledges an action sent after the kill,
 * starts the node again and waits until it is ready. At the end, every acknowledged action of
 * every round is checked against the journal. Failure detection and downing as in the test
 * (5 s heartbeat pause, 3 s stable-after), unless WATCHROOM_SBR_STABLE_AFTER /
 * WATCHROOM_FD_ACCEPTABLE_PAUSE are set.
 *
 * <p>Usage: {@code FailoverBenchmark [rounds=20]}
 */
public final class FailoverBenchmark {

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Map<String, String> tuning = new java.util.HashMap<>();
    for (String name : List.of("WATCHROOM_SBR_STABLE_AFTER", "WATCHROOM_FD_ACCEPTABLE_PAUSE")) {
      if (System.getenv(name) != null) {
        tuning.put(name, System.getenv(name));
      }
    }
    List<Long> worstPerRound = new ArrayList<>();
    List<Long> allVictimRooms = new ArrayList<>();
    try (ClusterScenario scenario = new ClusterScenario(Files.createTempDirectory("watchroom-failover-"), 3, tuning).start()) {
      scenario.populate(6, 3);
      scenario.startActing(Duration.ofMillis(300));
      Thread.sleep(3000);
      System.out.println("round\tkilled\trooms_on_it\trecovery_ms (its rooms)\tworst_ms\trestart_ms");
      for (int round = 1; round <= rounds; round++) {
        LocalCluster.Node victim = scenario.busiestNode();
        Set<String> victimRooms = scenario.placement().get(victim.index);
        long killedAt = System.nanoTime();
        scenario.cluster.kill(victim);
        Map<String, Long> recovery = scenario.awaitRecovery(killedAt, Duration.ofSeconds(120));
        List<Long> times = victimRooms.stream().map(recovery::get).sorted().toList();
        long worst = times.isEmpty() ? 0 : times.get(times.size() - 1);
        worstPerRound.add(worst);
        allVictimRooms.addAll(times);
        long restartAt = System.nanoTime();
        scenario.cluster.restart(victim, ClusterScenario.READY_TIMEOUT);
        System.out.printf("%d\t%d\t%d\t%s\t%d\t%d%n", round, victim.index, victimRooms.size(), times, worst,
            (System.nanoTime() - restartAt) / 1_000_000);
        Thread.sleep(3000);
      }
      scenario.stopActing();
      int checked = 0;
      int lost = 0;
      int violations = 0;
      for (String roomId : scenario.rooms.keySet()) {
        JournalAudit.History history = JournalAudit.read(scenario.schema, roomId);
        violations += history.violations().size();
        Set<Double> missing = new HashSet<>(scenario.rooms.get(roomId).acknowledged);
        missing.removeAll(history.seekPositions());
        lost += missing.size();
        checked += scenario.rooms.get(roomId).acknowledged.size();
      }
      System.out.printf(
          "RESULT failover over %d rounds: worst room per round median %.0f ms, p95 %.0f ms, max %.0f ms; all rooms of killed nodes median %.0f ms (%d samples); %d acknowledged actions checked, %d lost, %d journal violations%n",
          rounds, Stats.median(worstPerRound), Stats.percentile(worstPerRound, 95), Stats.percentile(worstPerRound, 100),
          Stats.median(allVictimRooms), allVictimRooms.size(), checked, lost, violations);
    }
    System.exit(0);
  }
}
