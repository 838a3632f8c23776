package io.scrapeshard.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RendezvousValidationTest {

  @Test
  void rejectsDuplicateMemberIdsNamingTheId() {
    List<Member> members =
        List.of(
            Member.of("scrape-shard-0"),
            Member.of("scrape-shard-1"),
            new Member("scrape-shard-0", 2));
    assertThatThrownBy(() -> Rendezvous.of(members))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate member id 'scrape-shard-0'");
  }

  @Test
  void rejectsAnEmptyMemberSet() {
    assertThatThrownBy(() -> Rendezvous.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("members must not be empty");
  }

  @Test
  void rejectsRankingOfLessThanOne() {
    Rendezvous hrw = Rendezvous.of(Fixtures.members(3));
    assertThatThrownBy(() -> hrw.ranking(TargetKey.of("a"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be >= 1, got 0");
  }

  @Test
  void rankingLongerThanTheMemberSetReturnsEveryMember() {
    Rendezvous hrw = Rendezvous.of(Fixtures.members(3));
    assertThat(hrw.ranking(TargetKey.of("a"), 10))
        .hasSize(3)
        .containsExactlyInAnyOrderElementsOf(hrw.members());
  }

  @Test
  void rejectsScoreOfAnUnknownMember() {
    Rendezvous hrw = Rendezvous.of(Fixtures.members(3));
    assertThatThrownBy(() -> hrw.score(TargetKey.of("a"), Member.of("stranger")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown member Member[id=stranger, weight=1.0]");
  }

  @Test
  void toStringIsTheFactoryCall() {
    Rendezvous hrw = Rendezvous.of(List.of(Member.of("b"), new Member("a", 2)));
    assertThat(hrw)
        .hasToString("Rendezvous.of([Member[id=a, weight=2.0], Member[id=b, weight=1.0]])")
        .isEqualTo(Rendezvous.of(List.of(new Member("a", 2), Member.of("b"))));
  }
}
