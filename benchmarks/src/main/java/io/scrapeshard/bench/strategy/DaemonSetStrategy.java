package io.scrapeshard.bench.strategy;

import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One scraper per node that scrapes the pods of its own node: the per-node DaemonSet. */
final class DaemonSetStrategy implements Strategy {

  @Override
  public String name() {
    return "daemonset";
  }

  @Override
  public boolean perNode() {
    return true;
  }

  @Override
  public int[] assign(List<Pod> pods, List<TargetKey> keys, List<Member> scrapers) {
    Map<String, Integer> nodeIndex = new HashMap<>();
    for (int i = 0; i < scrapers.size(); i++) {
      nodeIndex.put(scrapers.get(i).id(), i);
    }
    int[] owners = new int[pods.size()];
    for (int i = 0; i < owners.length; i++) {
      Integer owner = nodeIndex.get(pods.get(i).node());
      if (owner == null) {
        throw new IllegalStateException(
            "pod " + keys.get(i) + " runs on unknown node " + pods.get(i).node());
      }
      owners[i] = owner;
    }
    return owners;
  }
}
