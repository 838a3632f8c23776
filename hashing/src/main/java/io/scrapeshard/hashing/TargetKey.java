package io.scrapeshard.hashing;

import java.util.Objects;

/**
 * The stable identity of one scrape target, the only thing that is hashed to find its owner.
 *
 * <p>For a Kubernetes pod the key is {@code namespace/pod:port}, followed by the metrics path when
 * it is not {@code /metrics}; for a file-discovered target it is the target URL. Never build a key
 * from a label set: labels change, and every change would move the target.
 *
 * <pre>{@code
 * TargetKey k = TargetKey.ofPod("default", "web-0", 8080, "/metrics"); // "default/web-0:8080"
 * TargetKey s = TargetKey.ofPod("default", "web-0", 8080, "/stats"); // "default/web-0:8080/stats"
 * TargetKey u = TargetKey.of("http://10.0.0.7:9100/metrics");
 * }</pre>
 *
 * @param value non-blank, at most 2048 characters, no whitespace or control characters
 */
public record TargetKey(String value) {

  /** Longest key accepted; longer values are almost surely not identities. */
  public static final int MAX_LENGTH = 2048;

  /** The metrics path that is left out of pod keys. */
  public static final String DEFAULT_PATH = "/metrics";

  /**
   * Validates the value.
   *
   * @throws IllegalArgumentException naming the offending value
   */
  public TargetKey {
    Objects.requireNonNull(value, "target key");
    if (value.isBlank()) {
      throw new IllegalArgumentException("target key must not be blank, got '" + value + "'");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "target key must be at most " + MAX_LENGTH + " characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "target key must not contain whitespace or control characters, got '" + value + "'");
      }
    }
  }

  /** A key from its text, as produced by {@link #toString()}. */
  public static TargetKey of(String value) {
    return new TargetKey(value);
  }

  /**
   * The key of a pod's metrics endpoint: {@code namespace/pod:port}, plus {@code path} unless it is
   * {@value #DEFAULT_PATH}.
   *
   * @throws IllegalArgumentException if a name is blank or contains {@code '/'}, the port is not
   *     1-65535, or the path does not start with {@code '/'}
   */
  public static TargetKey ofPod(String namespace, String pod, int port, String path) {
    requireName("namespace", namespace);
    requireName("pod", pod);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, got " + port);
    }
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
    }
    String base = namespace + "/" + pod + ":" + port;
    return new TargetKey(DEFAULT_PATH.equals(path) ? base : base + path);
  }

  private static void requireName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.isBlank() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          what + " must be non-blank and contain no '/', got '" + name + "'");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
