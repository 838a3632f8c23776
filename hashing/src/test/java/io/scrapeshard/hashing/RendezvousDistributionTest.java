package io.scrapeshard.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RendezvousDistributionTest {

  @Test
  void weightsOneToFourGiveSharesWithinOnePercentAtOneMillionKeys() {
    List<Member> members =
        List.of(new Member("w1", 1), new Member("w2", 2), new Member("w3", 3), new Member("w4", 4));
    List<TargetKey> keys = Fixtures.podKeys(1_000_000, 1);

    int[] counts = Rendezvous.assign(keys, members).counts();

    for (int i = 0; i < members.size(); i++) {
      double expected = members.get(i).weight() / 10.0;
      double share = counts[i] / (double) keys.size();
      assertThat(share)
          .as("share of %s", members.get(i))
          .isCloseTo(expected, within(expected / 100));
    }
  }

  @ParameterizedTest(name = "{0} members")
  @CsvSource({"3, 11", "10, 12", "50, 13"})
  void addingAMemberMovesKeysOnlyToItAndAboutOneInNPlusOne(int n, long seed) {
    List<Member> before = Fixtures.members(n);
    List<Member> after = new ArrayList<>(before);
    Member added = Member.of("scrape-shard-" + n);
    after.add(added);
    List<TargetKey> keys = Fixtures.podKeys(100_000, seed);

    Assignment a = Rendezvous.assign(keys, before);
    Assignment b = Rendezvous.assign(keys, after);

    int moved = 0;
    for (int i = 0; i < keys.size(); i++) {
      if (!a.ownerOf(i).equals(b.ownerOf(i))) {
        assertThat(b.ownerOf(i)).as("new owner of %s", keys.get(i)).isEqualTo(added);
        moved++;
      }
    }
    double optimal = 1.0 / (n + 1);
    assertThat(moved / (double) keys.size()).isCloseTo(optimal, within(optimal * 0.10));
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28, 29, 30})
  void changesMoveOnlyTheKeysOfTheChangedMemberForRandomWeights(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Member> members = Fixtures.weightedMembers(2 + random.nextInt(30), random);
    Member removed = members.get(random.nextInt(members.size()));
    List<Member> survivors = new ArrayList<>(members);
    survivors.remove(removed);
    List<TargetKey> keys = Fixtures.podKeys(20_000, seed);

    Assignment all = Rendezvous.assign(keys, members);
    Assignment fewer = Rendezvous.assign(keys, survivors);

    for (int i = 0; i < keys.size(); i++) {
      if (!all.ownerOf(i).equals(removed)) {
        assertThat(fewer.ownerOf(i)).as("owner of %s", keys.get(i)).isEqualTo(all.ownerOf(i));
      } else {
        assertThat(fewer.ownerOf(i))
            .isEqualTo(Rendezvous.of(members).ranking(keys.get(i), 2).get(1));
      }
    }
  }

  @Test
  void removingAMemberMovesOnlyItsOwnKeys() {
    List<Member> members = Fixtures.members(10);
    Member removed = members.get(4);
    List<Member> survivors = new ArrayList<>(members);
    survivors.remove(removed);
    List<TargetKey> keys = Fixtures.podKeys(100_000, 5);

    Assignment a = Rendezvous.assign(keys, members);
    Assignment b = Rendezvous.assign(keys, survivors);

    int moved = 0;
    for (int i = 0; i < keys.size(); i++) {
      if (!a.ownerOf(i).equals(b.ownerOf(i))) {
        assertThat(a.ownerOf(i)).isEqualTo(removed);
        moved++;
      }
    }
    assertThat(moved).isEqualTo(a.counts()[4]);
  }

  @Test
  void plainMaxOverMeanAtMostOnePointOneAtOneHundredThousandKeysAndOneHundredMembers() {
    List<TargetKey> keys = Fixtures.podKeys(100_000, 3);

    int[] counts = Rendezvous.assign(keys, Fixtures.members(100)).counts();

    assertThat(Fixtures.maxOverMean(counts)).isLessThanOrEqualTo(1.10);
  }

  @Test
  void everyKeyIsAssignedOnceInInputOrder() {
    List<TargetKey> keys = Fixtures.podKeys(1_000, 4);

    Assignment a = Rendezvous.assign(keys, Fixtures.members(7));

    assertThat(a.keys()).isEqualTo(keys);
    assertThat(a.asMap()).hasSize(keys.size());
    assertThat(a.byMember().values().stream().mapToInt(List::size).sum()).isEqualTo(keys.size());
    assertThat(a.byMember()).hasSize(7);
  }
}
