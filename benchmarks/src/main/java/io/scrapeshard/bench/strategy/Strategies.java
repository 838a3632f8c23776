package io.scrapeshard.bench.strategy;

import io.scrapeshard.hashing.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The strategies the benchmark knows, by name. */
public final class Strategies {

  /** Every strategy name, in report order. */
  public static final List<String> NAMES =
      List.of("daemonset", "hrw", "hrw-bounded", "ta-ring", "ring", "hashmod", "jump");

  private Strategies() {}

  /**
   * The strategies named in {@code names}, in that order.
   *
   * @param capacityFactor for {@code hrw-bounded}
   * @param ringVirtualNodes for {@code ring}
   * @throws IllegalArgumentException naming an unknown or repeated strategy
   */
  public static List<Strategy> byNames(
      List<String> names, double capacityFactor, int ringVirtualNodes) {
    Map<String, Supplier<Strategy>> known = new LinkedHashMap<>();
    known.put("daemonset", DaemonSetStrategy::new);
    known.put("hrw", HrwStrategy::new);
    known.put("hrw-bounded", () -> new BoundedHrwStrategy(capacityFactor));
    known.put("ta-ring", TaRingStrategy::new);
    known.put("ring", () -> new RingStrategy(ringVirtualNodes));
    known.put("hashmod", HashmodStrategy::new);
    known.put("jump", JumpStrategy::new);
    List<Strategy> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (String raw : names) {
      String name = raw.strip();
      Supplier<Strategy> s = known.get(name);
      if (s == null) {
        throw new IllegalArgumentException(
            "unknown strategy '" + raw + "' (known: " + String.join(", ", NAMES) + ")");
      }
      if (seen.contains(name)) {
        throw new IllegalArgumentException("strategy '" + name + "' given twice");
      }
      seen.add(name);
      out.add(s.get());
    }
    return out;
  }

  /** Maps each member to its index in {@code scrapers}. */
  static Map<Member, Integer> indexOf(List<Member> scrapers) {
    Map<Member, Integer> index = new HashMap<>();
    for (int i = 0; i < scrapers.size(); i++) {
      index.put(scrapers.get(i), i);
    }
    return index;
  }
}
