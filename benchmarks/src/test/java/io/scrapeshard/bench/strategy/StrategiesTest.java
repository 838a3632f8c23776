package io.scrapeshard.bench.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategiesTest {

  // Expected values computed with Python's hashlib: int.from_bytes(md5(key).digest()[8:], 'big') %
  // n
  @ParameterizedTest
  @CsvSource({
    "default/web-0:8080, 10, 9",
    "default/web-0:8080, 3, 0",
    "default/web-0:8080, 7, 6",
    "ns-1/pod-7:8080, 10, 2",
    "ns-1/pod-7:8080, 7, 5",
    "kube-system/coredns-5d78c9869d-abcde:9153, 7, 4"
  })
  void hashmodTakesTheLastEightBytesOfMd5BigEndianModuloN(String key, int n, int expected) {
    assertThat(HashmodStrategy.shard(HashmodStrategy.md5(), key, n)).isEqualTo(expected);
  }

  @Test
  void taRingKeepsEveryMembersPartitionsUnderTheLoadBound() {
    List<Member> members = members(10);

    int[] owner = TaRingStrategy.partitionOwners(members);

    int[] load = new int[members.size()];
    for (int o : owner) {
      load[o]++;
    }
    int bound = (int) Math.ceil((1061 / 10) * 1.1);
    assertThat(owner).hasSize(1061);
    assertThat(java.util.Arrays.stream(load).max().orElseThrow()).isLessThanOrEqualTo(bound);
  }

  @Test
  void ringGivesEachKeyToTheMemberOfTheNextPointClockwise() {
    List<Member> members = members(7);
    List<TargetKey> keys = keys(2_000);
    List<long[]> points = new ArrayList<>(); // {unsigned point, member}
    for (int m = 0; m < members.size(); m++) {
      for (int v = 0; v < 20; v++) {
        points.add(new long[] {HashRing.hash(members.get(m).id() + "#" + v), m});
      }
    }

    int[] owners = new RingStrategy(20).assign(pods(keys), keys, members);

    for (int i = 0; i < keys.size(); i++) {
      long h = HashRing.hash(keys.get(i).value());
      long[] next = null;
      long[] lowest = null;
      for (long[] p : points) {
        if (lowest == null || Long.compareUnsigned(p[0], lowest[0]) < 0) {
          lowest = p;
        }
        if (Long.compareUnsigned(p[0], h) >= 0
            && (next == null || Long.compareUnsigned(p[0], next[0]) < 0)) {
          next = p;
        }
      }
      assertThat(owners[i]).isEqualTo((int) (next != null ? next : lowest)[1]);
    }
  }

  @Test
  void daemonSetScrapesEachPodFromItsOwnNode() {
    List<Pod> pods = List.of(new Pod("a", "p0", "n1", 5), new Pod("a", "p1", "n0", 5));
    List<TargetKey> keys = pods.stream().map(Pod::key).toList();

    int[] owners =
        new DaemonSetStrategy().assign(pods, keys, List.of(Member.of("n0"), Member.of("n1")));

    assertThat(owners).containsExactly(1, 0);
  }

  @Test
  void jumpMovesKeysOnlyToANewHighestOrdinal() {
    List<TargetKey> keys = keys(5_000);
    int[] before = new JumpStrategy().assign(pods(keys), keys, members(5));
    int[] after = new JumpStrategy().assign(pods(keys), keys, members(6));

    for (int i = 0; i < keys.size(); i++) {
      assertThat(after[i]).isIn(before[i], 5);
    }
  }

  @Test
  void rejectsAnUnknownStrategyNamingIt() {
    assertThatThrownBy(() -> Strategies.byNames(List.of("hrw", "maglev"), 1.1, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown strategy 'maglev' (known: daemonset, hrw,");
  }

  @Test
  void rejectsARepeatedStrategy() {
    assertThatThrownBy(() -> Strategies.byNames(List.of("hrw", " hrw"), 1.1, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("strategy 'hrw' given twice");
  }

  @Test
  void namesEveryStrategyInOrder() {
    assertThat(Strategies.byNames(Strategies.NAMES, 1.1, 100))
        .extracting(Strategy::name)
        .containsExactlyElementsOf(Strategies.NAMES);
  }

  private static List<Member> members(int n) {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(Member.of("scrape-shard-" + i));
    }
    return members;
  }

  private static List<TargetKey> keys(int n) {
    List<TargetKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(TargetKey.ofPod("ns-" + (i % 13), "pod-" + i, 8080, "/metrics"));
    }
    return keys;
  }

  private static List<Pod> pods(List<TargetKey> keys) {
    return keys.stream().map(k -> new Pod("ns", k.value().replace('/', '-'), "n", 1)).toList();
  }
}
