package io.scrapeshard.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedLoadTest {

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 1.02, 1.05, 1.1, 1.25})
  void maxOverMeanStaysWithinTheCapacityFactor(double c) {
    List<TargetKey> keys = Fixtures.podKeys(100_000, 8);

    int[] counts = Rendezvous.of(Fixtures.members(100)).assignBounded(keys, c).counts();

    assertThat(Fixtures.maxOverMean(counts)).isLessThanOrEqualTo(c);
  }

  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33, 34, 35})
  void weightedMembersStayWithinTheirCapacities(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Member> members = Fixtures.weightedMembers(2 + random.nextInt(20), random);
    List<TargetKey> keys = Fixtures.podKeys(10_000 + random.nextInt(10_000), seed);
    double c = 1 + random.nextDouble() * 0.3;
    Rendezvous hrw = Rendezvous.of(members);
    double total = hrw.members().stream().mapToDouble(Member::weight).sum();

    int[] counts = hrw.assignBounded(keys, c).counts();

    for (int i = 0; i < counts.length; i++) {
      double capacity = Math.ceil(c * hrw.members().get(i).weight() / total * keys.size());
      assertThat(counts[i])
          .as("keys of %s", hrw.members().get(i))
          .isLessThanOrEqualTo((int) capacity);
    }
  }

  @Test
  void everyMemberRankedAboveAKeysOwnerIsFull() {
    Rendezvous hrw = Rendezvous.of(Fixtures.members(8));
    List<TargetKey> keys = Fixtures.podKeys(4_000, 9);
    int capacity = (int) Math.ceil(1.05 * keys.size() / 8);

    Assignment a = hrw.assignBounded(keys, 1.05);

    int[] counts = a.counts();
    for (int i = 0; i < keys.size(); i++) {
      for (Member m : hrw.ranking(keys.get(i), 8)) {
        if (m.equals(a.ownerOf(i))) {
          break;
        }
        assertThat(counts[hrw.members().indexOf(m)]).as("load of %s", m).isEqualTo(capacity);
      }
    }
  }

  @Test
  void resultDoesNotDependOnInputOrder() {
    Rendezvous hrw = Rendezvous.of(Fixtures.members(10));
    List<TargetKey> keys = new ArrayList<>(Fixtures.podKeys(10_000, 10));
    var before = hrw.assignBounded(keys, 1.1).asMap();

    Collections.shuffle(keys, new Random(10));

    assertThat(hrw.assignBounded(keys, 1.1).asMap()).isEqualTo(before);
  }

  @Test
  void aLooseBoundGivesThePlainAssignment() {
    Rendezvous hrw = Rendezvous.of(Fixtures.members(10));
    List<TargetKey> keys = Fixtures.podKeys(10_000, 11);

    assertThat(hrw.assignBounded(keys, 10).asMap()).isEqualTo(hrw.assign(keys).asMap());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.99, 0, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void rejectsCapacityFactorBelowOneNamingIt(double c) {
    Rendezvous hrw = Rendezvous.of(Fixtures.members(2));
    assertThatThrownBy(() -> hrw.assignBounded(List.of(), c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity factor must be >= 1, got " + c);
  }
}
