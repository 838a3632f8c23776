package io.scrapeshard.bench.strategy;

import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.util.List;

/**
 * A way to split scrape targets among scrapers, for comparison.
 *
 * <p>Implementations are stateless and thread-safe; each call computes a whole assignment.
 */
public interface Strategy {

  /** The name used on the command line and in reports. */
  String name();

  /**
   * Whether the scrapers are the cluster's nodes (one per node, as a DaemonSet) rather than a
   * StatefulSet of members.
   */
  default boolean perNode() {
    return false;
  }

  /**
   * The owner of each pod, as an index into {@code scrapers}.
   *
   * @param pods the targets
   * @param keys {@code pods}' keys, in the same order
   * @param scrapers the scrapers in ordinal order (StatefulSet ordinal, or node order)
   */
  int[] assign(List<Pod> pods, List<TargetKey> keys, List<Member> scrapers);
}
