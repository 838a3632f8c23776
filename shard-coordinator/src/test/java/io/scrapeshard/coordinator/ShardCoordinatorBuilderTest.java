package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShardCoordinatorBuilderTest {

  private static ShardCoordinatorBuilder valid() {
    return ShardCoordinator.builder().connectString("127.0.0.1:2181").memberId("scrape-shard-0");
  }

  static Stream<Arguments> badOptions() {
    return Stream.of(
        bad(b -> b.connectString(null), "connectString is required, got 'null'"),
        bad(b -> b.connectString(" "), "connectString is required, got ' '"),
        bad(
            b -> b.root("scrape-shard"),
            "root must be an absolute ZooKeeper path without a trailing '/', got 'scrape-shard'"),
        bad(
            b -> b.root("/a/"),
            "root must be an absolute ZooKeeper path without a trailing '/', got '/a/'"),
        bad(b -> b.cluster("a/b"), "cluster must be non-blank without '/', got 'a/b'"),
        bad(b -> b.memberId(null), "memberId is required"),
        bad(
            b -> b.memberId("a b"),
            "memberId: member id must not contain '/', whitespace or control characters, got 'a b'"),
        bad(
            b -> b.weight(0),
            "weight: member weight must be finite and > 0, got 0.0 for member 'scrape-shard-0'"),
        bad(
            b -> b.sessionTimeout(Duration.ofMillis(500)),
            "sessionTimeout must be between PT1S and PT10M, got PT0.5S"),
        bad(
            b -> b.handoffDelay(Duration.ofSeconds(-1)),
            "handoffDelay must be between PT0S and PT10M, got PT-1S"),
        bad(b -> b.debounce(null), "debounce must be between PT0S and PT1M, got null"),
        bad(
            b -> b.debounceMaxWait(Duration.ofMillis(100)),
            "debounceMaxWait must be between PT0.25S and PT5M, got PT0.1S"),
        bad(
            b -> b.absenceGrace(Duration.ofMinutes(6)),
            "absenceGrace must be between PT0S and PT5M, got PT6M"),
        bad(
            b -> b.epochRetention(Duration.ZERO),
            "epochRetention must be between PT1S and PT24H, got PT0S"),
        bad(
            b -> b.peerPollInterval(Duration.ofMillis(1)),
            "peerPollInterval must be between PT0.01S and PT5M, got PT0.001S"));
  }

  private static Arguments bad(UnaryOperator<ShardCoordinatorBuilder> change, String message) {
    return Arguments.of(change, message);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badOptions")
  void eachBadOptionIsRejectedNamingIt(
      UnaryOperator<ShardCoordinatorBuilder> change, String message) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void defaultsBuildWithoutConnecting() {
    try (ShardCoordinator c = valid().build()) {
      assertThat(c.connectionStatus()).isEqualTo(ConnectionStatus.CONNECTING);
      assertThat(c.view().epochs().epochs()).isEmpty();
      assertThat(c.ready()).isFalse();
    }
  }

  @Test
  void joinBeforeStartIsRefused() {
    try (ShardCoordinator c = valid().build()) {
      assertThatThrownBy(c::join)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("coordinator scrape-shard-0 is not started");
    }
  }
}
