package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeshard.hashing.Member;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EpochPlannerTest {

  static final long DELAY = 5_000;
  static final long GRACE = 1_000;
  static final long KEEP = 60_000;
  final EpochPlanner planner = new EpochPlanner(DELAY, GRACE, KEEP);

  static Map<String, MemberObservation> present(String... ids) {
    Map<String, MemberObservation> map = new LinkedHashMap<>();
    for (String id : ids) {
      map.put(id, MemberObservation.active(id, 1));
    }
    return map;
  }

  static List<Member> members(String... ids) {
    return java.util.Arrays.stream(ids).map(Member::of).toList();
  }

  static EpochList list(Epoch... epochs) {
    return EpochList.of(List.of(epochs), 0);
  }

  @Nested
  class Joins {
    @Test
    void firstMembersGetAnEpochWithNotice() {
      var plan = planner.plan(EpochList.empty(), present("a", "b"), Map.of(), 10_000);

      assertThat(plan.publish()).isPresent();
      assertThat(plan.publish().get().epochs())
          .containsExactly(new Epoch(1, members("a", "b"), 10_000 + DELAY));
    }

    @Test
    void aJoinActivatesAfterTheHandoffDelay() {
      EpochList current = list(new Epoch(1, members("a"), 0));

      var plan = planner.plan(current, present("a", "b"), Map.of(), 10_000);

      assertThat(plan.publish().orElseThrow().newest())
          .contains(new Epoch(2, members("a", "b"), 15_000));
    }

    @Test
    void nothingChangesWithoutAChange() {
      EpochList current = list(new Epoch(1, members("a", "b"), 0));

      var plan = planner.plan(current, present("a", "b"), Map.of(), 10_000);

      assertThat(plan.publish()).isEmpty();
      assertThat(plan.recheckAtMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aChangeWhileAnEpochIsPendingWaitsForItsActivation() {
      EpochList current =
          list(new Epoch(1, members("a"), 0), new Epoch(2, members("a", "b"), 15_000));

      var plan = planner.plan(current, present("a", "b", "c"), Map.of(), 12_000);

      assertThat(plan.publish()).isEmpty();
      assertThat(plan.recheckAtMillis()).isEqualTo(15_000);
    }

    @Test
    void aWeightChangeIsAChangeWithNotice() {
      EpochList current = list(new Epoch(1, members("a", "b"), 0));
      Map<String, MemberObservation> seen = present("a", "b");
      seen.put("b", MemberObservation.active("b", 2));

      var plan = planner.plan(current, seen, Map.of(), 10_000);

      assertThat(plan.publish().orElseThrow().newest())
          .contains(new Epoch(2, List.of(Member.of("a"), new Member("b", 2)), 15_000));
    }

    @Test
    void anUnparseableNodeCountsAsPresentButIsNeverAdded() {
      EpochList current = list(new Epoch(1, members("a", "b"), 0));
      Map<String, MemberObservation> seen = present("a");
      seen.put("b", MemberObservation.unparseable("b"));
      seen.put("x", MemberObservation.unparseable("x"));

      var plan = planner.plan(current, seen, Map.of("b", 0L), 10_000);

      assertThat(plan.publish()).isEmpty();
    }
  }

  @Nested
  class Leaves {
    @Test
    void aLeavingMemberIsRemovedWithNotice() {
      EpochList current = list(new Epoch(1, members("a", "b"), 0));
      Map<String, MemberObservation> seen = present("a");
      seen.put("b", new MemberObservation("b", java.util.OptionalDouble.of(1), true, null));

      var plan = planner.plan(current, seen, Map.of(), 10_000);

      assertThat(plan.publish().orElseThrow().newest())
          .contains(new Epoch(2, members("a"), 15_000));
    }

    @Test
    void anAbsentMemberIsNotRemovedBeforeTheGrace() {
      EpochList current = list(new Epoch(1, members("a", "b"), 0));

      var plan = planner.plan(current, present("a"), Map.of("b", 9_500L), 10_000);

      assertThat(plan.publish()).isEmpty();
      assertThat(plan.recheckAtMillis()).isEqualTo(10_500);
    }

    @Test
    void aVanishedMemberIsRemovedWithoutNotice() {
      EpochList current = list(new Epoch(1, members("a", "b"), 0));

      var plan = planner.plan(current, present("a"), Map.of("b", 8_000L), 10_000);

      assertThat(plan.publish().orElseThrow().epochs())
          .containsExactly(new Epoch(1, members("a", "b"), 0), new Epoch(2, members("a"), 10_000));
    }

    @Test
    void aCrashWhileAJoinIsPendingKeepsTheJoinsNotice() {
      EpochList current =
          list(new Epoch(1, members("a", "b"), 0), new Epoch(2, members("a", "b", "c"), 15_000));

      var plan = planner.plan(current, present("a", "c"), Map.of("b", 11_000L), 12_000);

      assertThat(plan.publish().orElseThrow().epochs())
          .containsExactly(
              new Epoch(1, members("a", "b"), 0),
              new Epoch(3, members("a"), 12_000),
              new Epoch(4, members("a", "c"), 15_000));
    }

    @Test
    void aPendingJoinerThatVanishesIsDroppedFromThePendingEpochOnly() {
      EpochList current =
          list(new Epoch(1, members("a"), 0), new Epoch(2, members("a", "c"), 15_000));

      var plan = planner.plan(current, present("a"), Map.of("c", 11_000L), 12_000);

      assertThat(plan.publish().orElseThrow().epochs())
          .containsExactly(new Epoch(1, members("a"), 0), new Epoch(3, members("a"), 15_000));
    }
  }

  @Nested
  class WithRemovalNotice {
    final EpochPlanner noticing = new EpochPlanner(DELAY, GRACE, KEEP, 250);

    @Test
    void aGoneMembersRemovalTakesEffectAfterTheNoticeAndIsPublishedOnce() {
      EpochList current = list(new Epoch(1, members("a", "b"), 0));

      EpochList next =
          noticing.plan(current, present("a"), Map.of("b", 8_000L), 10_000).publish().orElseThrow();

      assertThat(next.newest()).contains(new Epoch(2, members("a"), 10_250));
      assertThat(noticing.plan(next, present("a"), Map.of("b", 8_000L), 10_100).publish())
          .isEmpty();
    }

    @Test
    void aRemovalThatWouldNotComeBeforeAPendingEpochIsFoldedIntoIt() {
      EpochList current =
          list(new Epoch(1, members("a", "b"), 0), new Epoch(2, members("a", "b", "c"), 10_100));

      EpochList next =
          noticing
              .plan(current, present("a", "c"), Map.of("b", 8_000L), 10_000)
              .publish()
              .orElseThrow();

      assertThat(next.epochs())
          .containsExactly(
              new Epoch(1, members("a", "b"), 0), new Epoch(3, members("a", "c"), 10_100));
    }
  }

  @Test
  void aRestartedProcessIsANewIncarnationWithNotice() {
    EpochList current = list(new Epoch(1, members("a", "b"), Map.of("a", "i1", "b", "i2"), 0));
    Map<String, MemberObservation> seen = new LinkedHashMap<>();
    seen.put("a", new MemberObservation("a", java.util.OptionalDouble.of(1), false, "i1"));
    seen.put("b", new MemberObservation("b", java.util.OptionalDouble.of(1), false, "i3"));

    var plan = planner.plan(current, seen, Map.of(), 10_000);

    Epoch next = plan.publish().orElseThrow().newest().orElseThrow();
    assertThat(next.activateAtMillis()).isEqualTo(15_000);
    assertThat(next.incarnations()).containsEntry("b", "i3");
    assertThat(next.admits("b", "i2")).isFalse();
    assertThat(current.newest().orElseThrow().admits("b", "i2")).isTrue();
  }

  @Test
  void oldEpochsAreTrimmedOnceTheirSuccessorIsSurelyActive() {
    EpochList current =
        list(
            new Epoch(1, members("a"), 0),
            new Epoch(2, members("a", "b"), 5_000),
            new Epoch(3, members("a", "b", "c"), 70_000));

    var plan = planner.plan(current, present("a", "b", "c", "d"), new HashMap<>(), 100_000);

    assertThat(plan.publish().orElseThrow().epochs())
        .extracting(Epoch::number)
        .containsExactly(2L, 3L, 4L);
  }
}
