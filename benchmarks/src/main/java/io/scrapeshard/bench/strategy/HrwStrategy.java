package io.scrapeshard.bench.strategy;

import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Assignment;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.Rendezvous;
import io.scrapeshard.hashing.TargetKey;
import java.util.List;
import java.util.Map;

/** scrape-shard's weighted rendezvous hashing. */
final class HrwStrategy implements Strategy {

  @Override
  public String name() {
    return "hrw";
  }

  @Override
  public int[] assign(List<Pod> pods, List<TargetKey> keys, List<Member> scrapers) {
    return toScraperOrder(Rendezvous.of(scrapers).assign(keys), scrapers);
  }

  static int[] toScraperOrder(Assignment assignment, List<Member> scrapers) {
    Map<Member, Integer> index = Strategies.indexOf(scrapers);
    int[] byIdOrder = new int[assignment.members().size()];
    for (int i = 0; i < byIdOrder.length; i++) {
      byIdOrder[i] = index.get(assignment.members().get(i));
    }
    int[] owners = new int[assignment.keys().size()];
    for (int i = 0; i < owners.length; i++) {
      owners[i] = byIdOrder[assignment.ownerIndexOf(i)];
    }
    return owners;
  }
}
