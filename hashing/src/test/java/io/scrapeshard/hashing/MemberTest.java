package io.scrapeshard.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MemberTest {

  @Test
  void ofGivesWeightOne() {
    assertThat(Member.of("scrape-shard-0")).isEqualTo(new Member("scrape-shard-0", 1.0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void rejectsBlankIdNamingIt(String id) {
    assertThatThrownBy(() -> Member.of(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("member id must not be blank, got '" + id + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a b", "a\u0001b"})
  void rejectsIdsThatCannotBeZooKeeperNodeNames(String id) {
    assertThatThrownBy(() -> Member.of(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got '" + id + "'");
  }

  @Test
  void rejectsOverlongId() {
    assertThatThrownBy(() -> Member.of("x".repeat(254)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("member id must be at most 253 characters, got 254");
  }

  @ParameterizedTest
  @CsvSource({"0.0,0.0", "-1.0,-1.0", "NaN,NaN", "Infinity,Infinity", "-0.0,-0.0"})
  void rejectsWeightsThatAreNotFinitePositiveNamingTheValue(double weight, String shown) {
    assertThatThrownBy(() -> new Member("scrape-shard-1", weight))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "member weight must be finite and > 0, got " + shown + " for member 'scrape-shard-1'");
  }

  @Test
  void rejectsNullId() {
    assertThatThrownBy(() -> new Member(null, 1.0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("member id");
  }
}
