package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scrapeshard.hashing.TargetKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Garbage in the epochs node or in a member node is logged and survived. */
class CorruptNodeIT {

  static final List<TargetKey> KEYS = SlotAuditor.keys(5_000);

  TestingServer zk;
  TestCluster cluster;
  CuratorFramework vandal;

  @BeforeEach
  void start() throws Exception {
    zk = TestCluster.zooKeeper();
    cluster = TestCluster.proxied(zk.getPort());
    for (int i = 0; i < 3; i++) {
      cluster.start("scrape-shard-" + i);
    }
    cluster.awaitAgreement(Duration.ofSeconds(20));
    vandal = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
    vandal.start();
  }

  @AfterEach
  void stop() throws Exception {
    vandal.close();
    cluster.close();
    zk.close();
  }

  @Test
  void aCorruptEpochsNodeKeepsEveryListAndTheLeaderRewritesIt() throws Exception {
    long before = cluster.get("scrape-shard-0").view().epochs().newest().orElseThrow().number();
    try (SlotAuditor auditor = new SlotAuditor(KEYS, 15_000, cluster::liveAt)) {
      vandal
          .setData()
          .forPath("/scrape-shard/it/epochs", "{not json".getBytes(StandardCharsets.UTF_8));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> cluster.live().stream().allMatch(c -> c.stats().unreadableNodes() > 0));

      cluster.start("scrape-shard-3"); // the next publish finds the garbage and rewrites it
      cluster.awaitAgreement(Duration.ofSeconds(15));

      assertThat(cluster.get("scrape-shard-0").view().epochs().newest().orElseThrow().number())
          .isGreaterThan(before);
      assertThat(auditor.doubles()).isEmpty();
      assertThat(auditor.nones()).isEmpty();
    }
  }

  @Test
  void anUnreadableMemberNodeIsLoggedAndNeverAdded() throws Exception {
    vandal
        .create()
        .withMode(CreateMode.EPHEMERAL)
        .forPath("/scrape-shard/it/members/intruder", new byte[] {1, 2, 3});

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> cluster.get("scrape-shard-1").stats().unreadableNodes() > 0);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                !cluster
                    .get("scrape-shard-1")
                    .view()
                    .epochs()
                    .newest()
                    .orElseThrow()
                    .contains("intruder"));
    assertThat(cluster.get("scrape-shard-1").members()).doesNotContainKey("intruder");
  }
}
