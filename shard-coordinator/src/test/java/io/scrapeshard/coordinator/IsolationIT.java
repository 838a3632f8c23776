package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scrapeshard.hashing.TargetKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A member cut off from ZooKeeper, the whole ensemble down, and a restart under a reused id. */
class IsolationIT {

  static final List<TargetKey> KEYS = SlotAuditor.keys(10_000);

  TestingServer zk;
  TestCluster cluster;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = TestCluster.zooKeeper();
    cluster = TestCluster.proxied(zk.getPort());
    for (int i = 0; i < 4; i++) {
      cluster.start("scrape-shard-" + i);
    }
    cluster.awaitAgreement(Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    zk.close();
  }

  @Test
  void aMemberCutOffFromZooKeeperStopsOnceAPeerShowsItEvicted() {
    String cut = "scrape-shard-1";
    ShardCoordinator isolated = cluster.get(cut);
    try (SlotAuditor auditor = new SlotAuditor(KEYS, 15_000, cluster::liveAt)) {
      long cutAt = System.currentTimeMillis();
      cluster.cutOff(cut);

      await().atMost(TestCluster.SESSION.plusSeconds(5)).until(() -> ownsNothing(isolated));
      long stoppedMs = System.currentTimeMillis() - cutAt;
      long evictionActive =
          cluster.get("scrape-shard-0").view().epochs().newest().orElseThrow().activateAtMillis();
      long overlap =
          auditor.doubles().stream()
                  .mapToLong(SlotAuditor.Slot::slotMillis)
                  .max()
                  .orElse(evictionActive)
              - evictionActive;
      System.out.println(
          "isolated_stop_ms="
              + stoppedMs
              + " overlap_ms="
              + Math.max(0, overlap)
              + " doubles="
              + auditor.doubles().size());

      assertThat(isolated.connectionStatus())
          .isIn(ConnectionStatus.SUSPENDED, ConnectionStatus.LOST);
      assertThat(cluster.get("scrape-shard-0").view().epochs().newest().orElseThrow().contains(cut))
          .isFalse();
      assertThat(auditor.doubles())
          .as("the cut-off member overlaps the takeover only until it reads a peer's list")
          .allSatisfy(s -> assertThat(s.slotMillis() - evictionActive).isLessThan(1_000));
      assertThat(auditor.nones()).isEmpty();
    }
  }

  @Test
  void withTheWholeEnsembleDownNobodyStops() throws Exception {
    try (SlotAuditor auditor = new SlotAuditor(KEYS, 15_000, cluster::liveAt)) {
      zk.stop();
      await()
          .atMost(TestCluster.SESSION.plusSeconds(4))
          .until(
              () ->
                  cluster.live().stream()
                      .allMatch(c -> c.connectionStatus() == ConnectionStatus.LOST));
      long lostAt = System.currentTimeMillis();
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  cluster.live().stream()
                      .allMatch(
                          c -> c.view().epochs().activeAt(System.currentTimeMillis()).isPresent()));
      zk.restart();
      cluster.awaitAgreement(Duration.ofSeconds(20));

      System.out.println(
          "ensemble_down_ms="
              + (System.currentTimeMillis() - lostAt)
              + " doubles="
              + auditor.doubles().size()
              + " nones="
              + auditor.nones().size()
              + " checked="
              + auditor.checked());
      assertThat(auditor.doubles()).isEmpty();
      assertThat(auditor.nones()).isEmpty();
      assertThat(cluster.get("scrape-shard-0").view().epochs().newest().orElseThrow().members())
          .hasSize(4);
    }
  }

  @Test
  void aRestartUnderTheSameIdNeverScrapesTwice() {
    String id = "scrape-shard-2";
    ShardCoordinator old = cluster.get(id);
    AtomicReference<String> supersededReason = new AtomicReference<>();
    try (SlotAuditor auditor = new SlotAuditor(KEYS, 15_000, cluster::liveAt)) {
      ShardCoordinator replacement =
          cluster.builder(id, id + "'").onSuperseded(supersededReason::set).build();
      replacement.start();
      replacement.join();
      cluster.track(id + "'", replacement);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(() -> !replacement.ready());

      cluster.cutOff(id); // the old process keeps running, cut off: a zombie with the same id
      await().atMost(TestCluster.SESSION.plusSeconds(10)).until(replacement::ready);
      await().atMost(Duration.ofSeconds(3)).until(() -> ownsNothing(old));
      cluster.reconnect(id);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  old.view().ownsSlot(KEYS.get(0), Instant.now()) == false
                      && old.connectionStatus() == ConnectionStatus.CONNECTED);

      System.out.println(
          "same_id doubles=" + auditor.doubles().size() + " nones=" + auditor.nones().size());
      assertThat(auditor.doubles()).isEmpty();
      assertThat(auditor.nones()).isEmpty();
      assertThat(ownsNothing(old)).isTrue();
    }
  }

  private static boolean ownsNothing(ShardCoordinator c) {
    Instant now = Instant.now();
    return KEYS.stream().noneMatch(k -> c.view().ownsSlot(k, now));
  }
}
