package io.scrapeshard.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;

class RendezvousGoldenTest {

  private static final Map<String, List<Member>> SETS =
      Map.of(
          "uniform", Fixtures.members(5),
          "weighted",
              List.of(
                  new Member("scrape-shard-0", 1),
                  new Member("scrape-shard-1", 1),
                  new Member("scrape-shard-2", 2),
                  new Member("scrape-shard-3", 0.5),
                  new Member("scrape-shard-4", 3),
                  new Member("shard-\u00fc", 1.5)));

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvFileSource(resources = "/golden/hrw-v1.csv", encoding = "UTF-8")
  void matchesCheckedInGoldenVectors(String set, String key, String owner, String top3) {
    Rendezvous hrw = Rendezvous.of(SETS.get(set));
    TargetKey target = TargetKey.of(key);

    assertThat(hrw.owner(target).id()).isEqualTo(owner);
    assertThat(hrw.ranking(target, 3)).extracting(Member::id).containsExactly(top3.split("\\|"));
  }

  @Test
  void algorithmNameIsPinnedWithTheVectors() {
    assertThat(Rendezvous.ALGORITHM).isEqualTo("weighted-hrw-farmhash64-splitmix-v1");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void agreesWithTheSpecifiedAlgorithmForRandomWeights(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Member> members = Fixtures.weightedMembers(1 + random.nextInt(40), random);
    Rendezvous hrw = Rendezvous.of(members);
    List<TargetKey> keys = Fixtures.podKeys(2_000, seed);

    Assignment assignment = hrw.assign(keys);

    for (int i = 0; i < keys.size(); i++) {
      List<Member> expected = ReferenceHrw.ranking(keys.get(i).value(), members);
      assertThat(assignment.ownerOf(i)).isEqualTo(expected.get(0));
      assertThat(hrw.owner(keys.get(i))).isEqualTo(expected.get(0));
      if (i < 50) {
        assertThat(hrw.ranking(keys.get(i), members.size())).isEqualTo(expected);
      }
    }
  }

  @Test
  void agreesWithTheSpecifiedAlgorithmForEqualWeights() {
    List<Member> members = Fixtures.members(37);
    Rendezvous hrw = Rendezvous.of(members);
    List<TargetKey> keys = Fixtures.podKeys(20_000, 99);

    Assignment assignment = hrw.assign(keys);

    for (int i = 0; i < keys.size(); i++) {
      assertThat(assignment.ownerOf(i)).isEqualTo(ReferenceHrw.owner(keys.get(i).value(), members));
    }
  }

  @Test
  void memberOrderDoesNotMatter() {
    List<Member> members = new ArrayList<>(SETS.get("weighted"));
    List<TargetKey> keys = Fixtures.podKeys(5_000, 7);
    Map<TargetKey, Member> before = Rendezvous.assign(keys, members).asMap();

    Collections.reverse(members);

    assertThat(Rendezvous.assign(keys, members).asMap()).isEqualTo(before);
  }

  @Test
  void staticHelpersMatchTheInstance() {
    List<Member> members = SETS.get("weighted");
    TargetKey key = TargetKey.ofPod("default", "web-0", 8080, "/metrics");
    Rendezvous hrw = Rendezvous.of(members);

    assertThat(Rendezvous.owner(key, members)).isEqualTo(hrw.owner(key));
    assertThat(Rendezvous.ranking(key, members, 2)).isEqualTo(hrw.ranking(key, 2));
    assertThat(hrw.ranking(key, 1)).containsExactly(hrw.owner(key));
  }

  @Test
  void scoreOrdersTheRanking() {
    Rendezvous hrw = Rendezvous.of(SETS.get("weighted"));
    TargetKey key = TargetKey.of("http://10.0.0.7:9100/metrics");

    List<Member> ranking = hrw.ranking(key, 6);

    for (int i = 1; i < ranking.size(); i++) {
      assertThat(hrw.score(key, ranking.get(i - 1)))
          .isGreaterThanOrEqualTo(hrw.score(key, ranking.get(i)));
    }
  }
}
