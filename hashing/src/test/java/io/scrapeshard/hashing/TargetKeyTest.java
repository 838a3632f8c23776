package io.scrapeshard.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetKeyTest {

  @Test
  void podKeyLeavesOutTheDefaultPath() {
    assertThat(TargetKey.ofPod("default", "web-0", 8080, "/metrics").value())
        .isEqualTo("default/web-0:8080");
  }

  @Test
  void podKeyKeepsAnyOtherPath() {
    assertThat(TargetKey.ofPod("default", "web-0", 8080, "/stats").toString())
        .isEqualTo("default/web-0:8080/stats");
  }

  @Test
  void keyRoundTripsThroughItsText() {
    TargetKey key = TargetKey.ofPod("kube-system", "coredns-1", 9153, "/metrics");
    assertThat(TargetKey.of(key.toString())).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536})
  void rejectsPortOutOfRangeNamingIt(int port) {
    assertThatThrownBy(() -> TargetKey.ofPod("default", "web-0", port, "/metrics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be 1-65535, got " + port);
  }

  @Test
  void rejectsPathWithoutLeadingSlash() {
    assertThatThrownBy(() -> TargetKey.ofPod("default", "web-0", 80, "metrics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path must start with '/', got 'metrics'");
  }

  @Test
  void rejectsNamespaceWithSlash() {
    assertThatThrownBy(() -> TargetKey.ofPod("a/b", "web-0", 80, "/metrics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("namespace must be non-blank and contain no '/', got 'a/b'");
  }

  @Test
  void rejectsBlankPod() {
    assertThatThrownBy(() -> TargetKey.ofPod("default", " ", 80, "/metrics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pod must be non-blank and contain no '/', got ' '");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void rejectsBlankKey(String value) {
    assertThatThrownBy(() -> TargetKey.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target key must not be blank, got '" + value + "'");
  }

  @Test
  void rejectsWhitespaceInsideKey() {
    assertThatThrownBy(() -> TargetKey.of("http://a b/metrics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "target key must not contain whitespace or control characters, got 'http://a b/metrics'");
  }

  @Test
  void rejectsOverlongKey() {
    assertThatThrownBy(() -> TargetKey.of("k".repeat(2049)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target key must be at most 2048 characters, got 2049");
  }
}
