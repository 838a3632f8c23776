package io.scrapeshard.bench.simulate;

import io.scrapeshard.hashing.TargetKey;
import java.util.List;

/**
 * A snapshot of a cluster: its nodes (including nodes without pods) and its pods.
 *
 * @param nodes node names, distinct
 * @param pods the scrape targets, one per pod
 */
public record Cluster(List<String> nodes, List<Pod> pods) {

  public Cluster {
    nodes = List.copyOf(nodes);
    pods = List.copyOf(pods);
  }

  /** The pods' target keys, in pod order. */
  public List<TargetKey> keys() {
    return pods.stream().map(Pod::key).toList();
  }

  /** The total series over all pods. */
  public long totalSeries() {
    return pods.stream().mapToLong(Pod::series).sum();
  }
}
