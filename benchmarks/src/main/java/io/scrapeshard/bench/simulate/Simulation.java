package io.scrapeshard.bench.simulate;

import io.scrapeshard.bench.strategy.Strategy;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one strategy over a cluster and three membership events: a member added, the highest ordinal
 * removed (StatefulSet scale-down) and a random member removed (crash).
 *
 * <p>For a per-node strategy the scrapers are the nodes: an added node starts without pods (the
 * DaemonSet moves nothing and balances nothing), and a removed node's pods are rescheduled to
 * random surviving nodes, so each of them gets a new scraper.
 */
public final class Simulation {

  private static final long CRASH_SALT = 0x5eed_c4a5_11L;

  private final Cluster cluster;
  private final List<TargetKey> keys;
  private final int workers;
  private final long seed;

  /**
   * @param workers StatefulSet members for the sharded strategies, at least 2
   */
  public Simulation(Cluster cluster, int workers, long seed) {
    this.cluster = cluster;
    this.keys = cluster.keys();
    this.workers = workers;
    this.seed = seed;
  }

  /** The figures of {@code strategy}. */
  public Result run(Strategy strategy) {
    List<Member> scrapers = scrapers(strategy);
    int[] base = strategy.assign(cluster.pods(), keys, scrapers);
    double assignMillis = time(strategy, scrapers);

    List<Member> grown = new ArrayList<>(scrapers);
    grown.add(Member.of(strategy.perNode() ? "node-added" : "scrape-shard-" + workers));
    Movement add = movement(scrapers, base, grown, cluster.pods(), strategy, null);

    int crashed = new SplittableRandom(seed ^ CRASH_SALT).nextInt(scrapers.size());
    Movement remove = removal(strategy, scrapers, base, scrapers.size() - 1);
    Movement crash = removal(strategy, scrapers, base, crashed);

    int[] targets = new int[scrapers.size()];
    long[] series = new long[scrapers.size()];
    for (int i = 0; i < base.length; i++) {
      targets[base[i]]++;
      series[base[i]] += cluster.pods().get(i).series();
    }
    return new Result(
        strategy.name(),
        scrapers.size(),
        Stats.maxOverMean(targets),
        Stats.cv(targets),
        Stats.maxOverMean(series),
        Stats.cv(series),
        add.moved,
        1.0 / (scrapers.size() + 1),
        remove.moved,
        remove.betweenSurvivors,
        crash.moved,
        crash.betweenSurvivors,
        assignMillis,
        targets,
        series);
  }

  private List<Member> scrapers(Strategy strategy) {
    List<Member> scrapers = new ArrayList<>();
    if (strategy.perNode()) {
      cluster.nodes().forEach(n -> scrapers.add(Member.of(n)));
    } else {
      for (int i = 0; i < workers; i++) {
        scrapers.add(Member.of("scrape-shard-" + i));
      }
    }
    return scrapers;
  }

  private Movement removal(Strategy strategy, List<Member> scrapers, int[] base, int removed) {
    List<Member> fewer = new ArrayList<>(scrapers);
    Member gone = fewer.remove(removed);
    List<Pod> pods = cluster.pods();
    if (strategy.perNode()) {
      pods = reschedule(pods, gone.id(), fewer, seed + removed);
    }
    return movement(scrapers, base, fewer, pods, strategy, gone);
  }

  private static List<Pod> reschedule(List<Pod> pods, String node, List<Member> nodes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Pod> out = new ArrayList<>(pods.size());
    for (Pod p : pods) {
      out.add(p.node().equals(node) ? p.onNode(nodes.get(random.nextInt(nodes.size())).id()) : p);
    }
    return out;
  }

  private Movement movement(
      List<Member> before,
      int[] base,
      List<Member> after,
      List<Pod> pods,
      Strategy s,
      Member gone) {
    int[] next = s.assign(pods, keys, after);
    int moved = 0;
    int betweenSurvivors = 0;
    for (int i = 0; i < base.length; i++) {
      Member was = before.get(base[i]);
      if (!was.equals(after.get(next[i]))) {
        moved++;
        if (!was.equals(gone)) {
          betweenSurvivors++;
        }
      }
    }
    return new Movement(moved / (double) base.length, betweenSurvivors / (double) base.length);
  }

  /** Best of three timed runs after one warm-up, on the calling thread. */
  private double time(Strategy strategy, List<Member> scrapers) {
    long best = Long.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long start = System.nanoTime();
      strategy.assign(cluster.pods(), keys, scrapers);
      best = Math.min(best, System.nanoTime() - start);
    }
    return best / 1e6;
  }

  private record Movement(double moved, double betweenSurvivors) {}
}
