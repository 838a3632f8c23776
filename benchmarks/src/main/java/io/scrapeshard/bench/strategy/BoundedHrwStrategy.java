package io.scrapeshard.bench.strategy;

import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.Rendezvous;
import io.scrapeshard.hashing.TargetKey;
import java.util.List;

/** Rendezvous hashing with bounded loads, capacity factor {@code c}. */
final class BoundedHrwStrategy implements Strategy {

  private final double capacityFactor;

  BoundedHrwStrategy(double capacityFactor) {
    this.capacityFactor = capacityFactor;
  }

  @Override
  public String name() {
    return "hrw-bounded";
  }

  @Override
  public int[] assign(List<Pod> pods, List<TargetKey> keys, List<Member> scrapers) {
    return HrwStrategy.toScraperOrder(
        Rendezvous.of(scrapers).assignBounded(keys, capacityFactor), scrapers);
  }
}
