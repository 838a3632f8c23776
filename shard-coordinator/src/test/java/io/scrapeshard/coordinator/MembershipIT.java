package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scrapeshard.hashing.TargetKey;
import java.time.Duration;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MembershipIT {

  static final List<TargetKey> KEYS = SlotAuditor.keys(10_000);
  static final long INTERVAL = 15_000;

  TestingServer zk;
  TestCluster cluster;

  @BeforeEach
  void startZooKeeper() throws Exception {
    zk = TestCluster.zooKeeper();
    cluster = TestCluster.proxied(zk.getPort());
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    zk.close();
  }

  @Test
  void fiveMembersAgreeOnOneEpochList() {
    long start = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) {
      cluster.start("scrape-shard-" + i);
    }

    cluster.awaitAgreement(Duration.ofSeconds(15));

    long agreedMs = System.currentTimeMillis() - start;
    System.out.println(
        "agree_ms="
            + agreedMs
            + " (5 members, handoff delay "
            + TestCluster.HANDOFF.toMillis()
            + " ms)");
    EpochList first = cluster.get("scrape-shard-0").view().epochs();
    for (ShardCoordinator c : cluster.live()) {
      assertThat(c.view().epochs().epochs()).isEqualTo(first.epochs());
      assertThat(c.ready()).as("%s ready", c.view().self()).isTrue();
    }
    assertThat(cluster.live().stream().filter(ShardCoordinator::leader)).hasSize(1);
  }

  @Test
  void joinsLeavesAndARollingRestartLeaveNoSlotWithTwoOwnersOrNone() {
    for (int i = 0; i < 5; i++) {
      cluster.start("scrape-shard-" + i);
    }
    cluster.awaitAgreement(Duration.ofSeconds(15));

    try (SlotAuditor auditor = new SlotAuditor(KEYS, INTERVAL, cluster::liveAt)) {
      cluster.start("scrape-shard-5");
      cluster.awaitAgreement(Duration.ofSeconds(10));

      cluster.leave("scrape-shard-5");
      cluster.awaitAgreement(Duration.ofSeconds(10));

      cluster.start("scrape-shard-6"); // a join and a leave inside one handoff delay
      cluster.leave("scrape-shard-0");
      cluster.awaitAgreement(Duration.ofSeconds(15));

      for (String id :
          List.of(
              "scrape-shard-1",
              "scrape-shard-2",
              "scrape-shard-3",
              "scrape-shard-4",
              "scrape-shard-6")) {
        cluster.leave(id);
        ShardCoordinator again = cluster.start(id);
        await().atMost(Duration.ofSeconds(15)).until(again::ready);
      }
      cluster.awaitAgreement(Duration.ofSeconds(15));

      System.out.println(
          "slots_checked="
              + auditor.checked()
              + " doubles="
              + auditor.doubles().size()
              + " nones="
              + auditor.nones().size());
      assertThat(auditor.checked()).isGreaterThan(10_000);
      assertThat(auditor.doubles()).isEmpty();
      assertThat(auditor.nones()).isEmpty();
    }
    for (ShardCoordinator c : cluster.live()) {
      System.out.println("notice_ms " + c.view().self() + " " + c.view().noticeMillis());
    }
  }
}
