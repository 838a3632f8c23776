package io.scrapeshard.bench.simulate;

import io.scrapeshard.hashing.TargetKey;
import java.util.Objects;

/**
 * One scrape target of a simulated cluster: a pod, the node it runs on, and the series it exposes.
 *
 * @param series series per scrape, at least 0
 */
public record Pod(String namespace, String name, String node, long series) {

  /** The port every simulated pod exposes metrics on. */
  public static final int PORT = 8080;

  public Pod {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(node, "node");
    if (series < 0) {
      throw new IllegalArgumentException("series must be >= 0, got " + series);
    }
  }

  /** The stable key that sharded strategies hash. */
  public TargetKey key() {
    return TargetKey.ofPod(namespace, name, PORT, TargetKey.DEFAULT_PATH);
  }

  /** The same pod, rescheduled to {@code otherNode}. */
  public Pod onNode(String otherNode) {
    return new Pod(namespace, name, otherNode, series);
  }
}
