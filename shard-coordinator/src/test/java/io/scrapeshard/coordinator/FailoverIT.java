package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scrapeshard.hashing.TargetKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crashes: a member while a join is pending, the leader, and the leader paused past its session.
 */
class FailoverIT {

  static final List<TargetKey> KEYS = SlotAuditor.keys(10_000);

  TestingServer zk;
  TestCluster cluster;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = TestCluster.zooKeeper();
    cluster = TestCluster.proxied(zk.getPort());
  }

  private void form(Duration handoff) {
    cluster.handoff(handoff);
    for (int i = 0; i < 4; i++) {
      cluster.start("scrape-shard-" + i);
    }
    cluster.awaitAgreement(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    zk.close();
  }

  @Test
  void aCrashWhileAJoinIsPendingKeepsTheJoinsNoticeAndFailsOverWithinTheSessionTimeout() {
    form(Duration.ofSeconds(8)); // longer than the crash takes to detect: the join is still pending
    String victim = nonLeader();
    try (SlotAuditor auditor = new SlotAuditor(KEYS, 15_000, cluster::liveAt)) {
      ShardCoordinator joiner = cluster.start("scrape-shard-4");
      await().atMost(Duration.ofSeconds(5)).until(() -> pendingJoin(joiner).isPresent());
      long joinActivation = pendingJoin(joiner).get().activateAtMillis();

      long crashedAt = System.currentTimeMillis();
      cluster.crash(victim);
      await()
          .atMost(TestCluster.SESSION.plusSeconds(4))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> everyKeyOwnedBySurvivors(victim));
      long failoverMs = System.currentTimeMillis() - crashedAt;
      System.out.println(
          "failover_ms="
              + failoverMs
              + " (session timeout "
              + TestCluster.SESSION.toMillis()
              + " ms)");

      cluster.awaitAgreement(Duration.ofSeconds(20));
      assertThat(failoverMs).isLessThanOrEqualTo(TestCluster.SESSION.toMillis() + 2_000);
      EpochList list = cluster.get("scrape-shard-0").view().epochs();
      assertThat(list.epochs())
          .as("the join still activates when it was announced")
          .anySatisfy(
              e -> {
                assertThat(e.activateAtMillis()).isEqualTo(joinActivation);
                assertThat(e.contains("scrape-shard-4")).isTrue();
                assertThat(e.contains(victim)).isFalse();
              });
      assertThat(auditor.doubles()).isEmpty();
      assertThat(auditor.nones())
          .as("only the crashed member's slots go unscraped, and only until failover")
          .allSatisfy(
              s -> {
                assertThat(s.slotMillis()).isBetween(crashedAt, crashedAt + failoverMs);
              });
      assertActivationNeverDecreases();
    }
  }

  @Test
  void theLeadersCrashElectsANewLeaderWithinTheSessionTimeout() {
    form(TestCluster.HANDOFF);
    String old = cluster.leader().orElseThrow().view().self();
    long crashedAt = System.currentTimeMillis();

    cluster.crash(old);

    await().atMost(TestCluster.SESSION.plusSeconds(2)).until(() -> cluster.leader().isPresent());
    System.out.println("leader_failover_ms=" + (System.currentTimeMillis() - crashedAt));
    cluster.awaitAgreement(Duration.ofSeconds(20));
    assertThat(
            cluster
                .get("scrape-shard-0".equals(old) ? "scrape-shard-1" : "scrape-shard-0")
                .view()
                .epochs()
                .newest()
                .orElseThrow()
                .contains(old))
        .isFalse();
    assertActivationNeverDecreases();
  }

  @Test
  void aDeposedLeaderCannotWriteEvenOnANewSession() throws Exception {
    form(TestCluster.HANDOFF);
    ShardCoordinator old = cluster.leader().orElseThrow();
    String fence = old.leaderLoop().latchPath();
    int version = old.leaderLoop().version();
    EpochList stale = old.view().epochs();

    long pausedAt = System.currentTimeMillis();
    cluster.cutOff(old.view().self()); // paused: its session expires, the others move on
    await()
        .atMost(TestCluster.SESSION.plusSeconds(3))
        .until(() -> cluster.live().stream().anyMatch(c -> c != old && c.leader()));
    System.out.println("paused_leader_failover_ms=" + (System.currentTimeMillis() - pausedAt));
    cluster.reconnect(old.view().self());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> old.connectionStatus() == ConnectionStatus.CONNECTED);

    Exception refused = null;
    try {
      old.leaderLoop().publishFenced(stale, fence, version);
    } catch (org.apache.zookeeper.KeeperException e) {
      refused = e;
    }
    assertThat(refused).as("the write of a deposed leader").isNotNull();
    System.out.println("deposed_leader_write=" + refused.getClass().getSimpleName());
    cluster.awaitAgreement(Duration.ofSeconds(30));
    assertActivationNeverDecreases();
  }

  private String nonLeader() {
    return cluster.live().stream().filter(c -> !c.leader()).findFirst().orElseThrow().view().self();
  }

  private static Optional<Epoch> pendingJoin(ShardCoordinator joiner) {
    return joiner.view().epochs().pendingAt(System.currentTimeMillis()).stream()
        .filter(e -> e.contains("scrape-shard-4"))
        .findFirst();
  }

  private boolean everyKeyOwnedBySurvivors(String victim) {
    Instant now = Instant.now();
    return KEYS.stream()
        .allMatch(
            k ->
                cluster.live().stream()
                    .anyMatch(c -> !c.view().self().equals(victim) && c.view().ownsSlot(k, now)));
  }

  private void assertActivationNeverDecreases() {
    long last = 0;
    for (EpochList l : cluster.published) {
      long newest = l.newest().map(Epoch::activateAtMillis).orElse(0L);
      assertThat(newest).as("newest activation of %s", l).isGreaterThanOrEqualTo(last);
      last = Math.max(last, newest);
    }
  }
}
