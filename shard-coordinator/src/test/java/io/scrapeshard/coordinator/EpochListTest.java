package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochListTest {

  static final Epoch E1 = new Epoch(1, List.of(Member.of("a")), 1_000);
  static final Epoch E2 = new Epoch(2, List.of(Member.of("a"), Member.of("b")), 5_000);
  static final Epoch E3 = new Epoch(3, List.of(Member.of("b")), 9_000);

  @Test
  void theEpochInForceIsTheNewestActivatedAtOrBeforeTheInstant() {
    EpochList list = EpochList.of(List.of(E1, E2, E3), 0);

    assertThat(list.activeAt(999)).isEmpty();
    assertThat(list.activeAt(1_000)).contains(E1);
    assertThat(list.activeAt(4_999)).contains(E1);
    assertThat(list.activeAt(5_000)).contains(E2);
    assertThat(list.pendingAt(5_000)).containsExactly(E3);
    assertThat(list.ownerOf(TargetKey.of("k"), 9_000)).contains(Member.of("b"));
    assertThat(list.ownerOf(TargetKey.of("k"), 0)).isEmpty();
  }

  @Test
  void rejectsActivationThatGoesBack() {
    Epoch back = new Epoch(3, List.of(Member.of("a")), 4_000);
    assertThatThrownBy(() -> EpochList.of(List.of(E2, back), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("activateAtMillis must not decrease, got epoch 2 at 5000 then epoch 3 at 4000");
  }

  @Test
  void mergeKeepsOlderLocalEpochsWhileTheyMayStillDecideASlot() {
    EpochList local = EpochList.of(List.of(E1, E2), 0);
    EpochList published = EpochList.of(List.of(E2, E3), 0);

    assertThat(local.mergedWith(published, 6_000, 60_000).epochs()).containsExactly(E1, E2, E3);
    assertThat(local.mergedWith(published, 67_000, 60_000).epochs()).containsExactly(E2, E3);
  }

  @Test
  void mergeDropsEpochsTheLeaderSuperseded() {
    Epoch pending = new Epoch(2, List.of(Member.of("a"), Member.of("c")), 8_000);
    EpochList local = EpochList.of(List.of(E1, pending), 0);
    Epoch crash = new Epoch(3, List.of(Member.of("a")), 6_000);
    Epoch rewritten = new Epoch(4, List.of(Member.of("a")), 8_000);
    EpochList published = EpochList.of(List.of(E1, crash, rewritten), 0);

    assertThat(local.mergedWith(published, 6_000, 60_000).epochs())
        .containsExactly(E1, crash, rewritten);
  }

  @Test
  void anEpochAdmitsOnlyTheIncarnationItNames() {
    Epoch e =
        new Epoch(1, List.of(Member.of("a"), Member.of("b")), java.util.Map.of("a", "i-1"), 0);

    assertThat(e.admits("a", "i-1")).isTrue();
    assertThat(e.admits("a", "i-2")).isFalse();
    assertThat(e.admits("b", "anything")).isTrue();
    assertThat(e.admits("c", "i-1")).isFalse();
  }
}
