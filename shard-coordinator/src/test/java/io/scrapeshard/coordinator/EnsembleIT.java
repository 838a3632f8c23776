package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scrapeshard.hashing.TargetKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 3-server ZooKeeper ensemble losing one server, then two for longer than the session timeout.
 */
class EnsembleIT {

  static final List<TargetKey> KEYS = SlotAuditor.keys(10_000);

  TestingCluster ensemble;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      specs.add(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1));
    }
    ensemble = new TestingCluster(specs);
    ensemble.start();
    cluster = TestCluster.direct(ensemble.getConnectString());
    for (int i = 0; i < 5; i++) {
      cluster.start("scrape-shard-" + i);
    }
    cluster.awaitAgreement(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    ensemble.close();
  }

  @Test
  void losingOneServerChangesNoEpoch() throws Exception {
    long epoch = newestEpoch();
    try (SlotAuditor auditor = new SlotAuditor(KEYS, 15_000, cluster::liveAt)) {
      for (TestingZooKeeperServer server : ensemble.getServers()) {
        server.kill(); // every client's server goes once, one at a time
        await()
            .atMost(TestCluster.SESSION)
            .until(
                () ->
                    cluster.live().stream()
                        .allMatch(c -> c.connectionStatus() == ConnectionStatus.CONNECTED));
        server.restart();
      }
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(4))
          .until(() -> newestEpoch() == epoch);

      assertThat(auditor.doubles()).isEmpty();
      assertThat(auditor.nones()).isEmpty();
    }
  }

  @Test
  void losingQuorumForLongerThanTheSessionTimeoutEvictsNobody() throws Exception {
    try (SlotAuditor auditor = new SlotAuditor(KEYS, 15_000, cluster::liveAt)) {
      List<TestingZooKeeperServer> servers = ensemble.getServers();
      servers.get(0).kill();
      servers.get(1).kill();
      long downAt = System.currentTimeMillis();
      await()
          .atMost(TestCluster.SESSION.plusSeconds(10))
          .until(
              () ->
                  cluster.live().stream()
                      .allMatch(c -> c.connectionStatus() == ConnectionStatus.LOST));
      await()
          .atMost(Duration.ofSeconds(3))
          .until(
              () -> System.currentTimeMillis() - downAt > TestCluster.SESSION.toMillis() + 1_000);
      servers.get(0).restart();
      servers.get(1).restart();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> cluster.live().stream().allMatch(ShardCoordinator::ready));
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(4))
          .until(() -> cluster.live().stream().allMatch(ShardCoordinator::ready));

      System.out.println(
          "quorum_loss doubles="
              + auditor.doubles().size()
              + " nones="
              + auditor.nones().size()
              + " checked="
              + auditor.checked());
      assertThat(auditor.doubles()).isEmpty();
      assertThat(auditor.nones()).isEmpty();
      for (ShardCoordinator c : cluster.live()) {
        assertThat(c.view().epochs().newest().orElseThrow().members())
            .as("members after the storm")
            .hasSize(5);
      }
    }
  }

  private long newestEpoch() {
    return cluster.get("scrape-shard-0").view().epochs().newest().orElseThrow().number();
  }
}
