package io.scrapeshard.bench.strategy;

import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.util.List;

/**
 * A plain consistent-hash ring: each member owns {@code V} points ({@code id#v}); a key belongs to
 * the member of the first point at or after the key's hash, wrapping around.
 */
final class RingStrategy implements Strategy {

  private final int virtualNodes;

  RingStrategy(int virtualNodes) {
    if (virtualNodes < 1) {
      throw new IllegalArgumentException("virtual nodes must be >= 1, got " + virtualNodes);
    }
    this.virtualNodes = virtualNodes;
  }

  @Override
  public String name() {
    return "ring";
  }

  @Override
  public int[] assign(List<Pod> pods, List<TargetKey> keys, List<Member> scrapers) {
    HashRing ring = new HashRing(scrapers, virtualNodes, "#");
    int[] owners = new int[keys.size()];
    for (int i = 0; i < owners.length; i++) {
      owners[i] = ring.memberAt(ring.successor(HashRing.hash(keys.get(i).value())));
    }
    return owners;
  }
}
