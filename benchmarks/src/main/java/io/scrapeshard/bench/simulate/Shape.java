package io.scrapeshard.bench.simulate;

/** How pods spread over nodes. */
public enum Shape {
  /** Every node equally likely. */
  uniform,
  /**
   * Three node pools of different sizes: half the nodes small (weight 1), 30% medium (2), 20% large
   * (4); a node attracts pods in proportion to its size.
   */
  pools,
  /** Node {@code r} (from 1) attracts pods in proportion to {@code 1 / r^s}. */
  zipf
}
