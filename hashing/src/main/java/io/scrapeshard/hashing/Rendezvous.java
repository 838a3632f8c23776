package io.scrapeshard.hashing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Weighted rendezvous (highest-random-weight) hashing over a fixed set of members.
 *
 * <p>For each key every member gets the score {@code -w / ln(u)}, where {@code w} is the member's
 * weight and {@code u}, strictly inside (0, 1), comes from a 64-bit finalizer over the XOR of the
 * key's and the member's FarmHash fingerprints (UTF-8). Members are ordered by score, then by
 * {@code u}, then by id (the smaller id first); the first one owns the key. So:
 *
 * <ul>
 *   <li>a member receives a share of the keys proportional to its weight;
 *   <li>adding a member moves keys only to it, and removing one moves only its keys;
 *   <li>the result depends only on the key and the member set, bit for bit on every JVM and CPU.
 * </ul>
 *
 * <p>An instance hashes each member once; build it once per member set and reuse it. Instances are
 * immutable and thread-safe. The static helpers are for one-off calls.
 *
 * <pre>{@code
 * Rendezvous hrw = Rendezvous.of(List.of(Member.of("scrape-shard-0"), Member.of("scrape-shard-1")));
 * Member owner = hrw.owner(TargetKey.ofPod("default", "web-0", 8080, "/metrics"));
 * Assignment all = hrw.assign(keys);
 * }</pre>
 *
 * <p>Do not use this when the member count is in the hundreds of thousands and keys are looked up
 * one at a time on a hot path: the cost is linear in the number of members per key. Do not use it
 * for persistent data placement where membership flaps: every flap moves keys.
 *
 * <p>The outputs are pinned by golden vectors; a change to them is a breaking change that gets a
 * new {@link #ALGORITHM} name.
 */
public final class Rendezvous {

  /** The name of the scoring function implemented here; published with every epoch. */
  public static final String ALGORITHM = "weighted-hrw-farmhash64-splitmix-v1";

  private final List<Member> members; // sorted by id, so a lower index is the smaller id
  private final long[] memberHashes;
  private final double[] weights;
  private final int[][] weightGroups; // member indexes sharing one weight, ascending

  private Rendezvous(List<Member> sorted) {
    this.members = List.copyOf(sorted);
    int n = sorted.size();
    this.memberHashes = new long[n];
    this.weights = new double[n];
    Map<Double, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Member m = sorted.get(i);
      memberHashes[i] = Hashes.fingerprint(m.id());
      weights[i] = m.weight();
      groups.computeIfAbsent(m.weight(), w -> new ArrayList<>()).add(i);
    }
    this.weightGroups =
        groups.values().stream()
            .map(g -> g.stream().mapToInt(Integer::intValue).toArray())
            .toArray(int[][]::new);
  }

  /**
   * A rendezvous hash over {@code members}; their order does not matter.
   *
   * @throws IllegalArgumentException if {@code members} is empty or two members share an id
   */
  public static Rendezvous of(Collection<Member> members) {
    Objects.requireNonNull(members, "members");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("members must not be empty");
    }
    List<Member> sorted = new ArrayList<>(members);
    sorted.forEach(m -> Objects.requireNonNull(m, "member"));
    sorted.sort(Comparator.comparing(Member::id));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
        throw new IllegalArgumentException("duplicate member id '" + sorted.get(i).id() + "'");
      }
    }
    return new Rendezvous(sorted);
  }

  /** The owner of {@code key} among {@code members}; see {@link #owner(TargetKey)}. */
  public static Member owner(TargetKey key, Collection<Member> members) {
    return of(members).owner(key);
  }

  /** The first {@code k} members for {@code key}; see {@link #ranking(TargetKey, int)}. */
  public static List<Member> ranking(TargetKey key, Collection<Member> members, int k) {
    return of(members).ranking(key, k);
  }

  /** Every key's owner among {@code members}; see {@link #assign(Collection)}. */
  public static Assignment assign(Collection<TargetKey> keys, Collection<Member> members) {
    return of(members).assign(keys);
  }

  /** The members, sorted by id. */
  public List<Member> members() {
    return members;
  }

  /** The member that owns {@code key}. */
  public Member owner(TargetKey key) {
    return members.get(ownerIndex(Hashes.fingerprint(key.value()), null));
  }

  /**
   * The members in the order in which they would own {@code key}: the owner first, then the owner
   * if the first were gone, and so on. Use it for replication and for diagnostics.
   *
   * @param k how many to return; more than the member count returns all of them
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public List<Member> ranking(TargetKey key, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    long keyHash = Hashes.fingerprint(key.value());
    Integer[] order = new Integer[members.size()];
    long[] bits = new long[order.length];
    double[] scores = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      bits[i] = Hashes.pairBits(keyHash, memberHashes[i]);
      scores[i] = Hashes.score(weights[i], bits[i]);
    }
    Arrays.sort(order, (a, b) -> beats(scores[a], bits[a], a, scores[b], bits[b], b) ? -1 : 1);
    List<Member> out = new ArrayList<>(Math.min(k, order.length));
    for (int i = 0; i < Math.min(k, order.length); i++) {
      out.add(members.get(order[i]));
    }
    return out;
  }

  /**
   * The score of {@code member} for {@code key}, for diagnostics: higher wins.
   *
   * @throws IllegalArgumentException if {@code member} is not one of {@link #members()}
   */
  public double score(TargetKey key, Member member) {
    int i = members.indexOf(member);
    if (i < 0) {
      throw new IllegalArgumentException("unknown member " + member);
    }
    return Hashes.score(
        weights[i], Hashes.pairBits(Hashes.fingerprint(key.value()), memberHashes[i]));
  }

  /**
   * The owner of every key, hashing each key once. Equal to calling {@link #owner(TargetKey)} for
   * each key, and much faster.
   */
  public Assignment assign(Collection<TargetKey> keys) {
    List<TargetKey> list = List.copyOf(keys);
    int[] owners = new int[list.size()];
    for (int i = 0; i < owners.length; i++) {
      owners[i] = ownerIndex(Hashes.fingerprint(list.get(i).value()), null);
    }
    return new Assignment(list, members, owners);
  }

  /**
   * Rendezvous hashing with bounded loads: each key goes to the first member of its ranking that
   * holds fewer than {@code ceil(c × w / W × M)} keys, where {@code w} is the member's weight,
   * {@code W} the total weight and {@code M} the number of keys. The capacities are computed
   * exactly, in integers: {@code c} is taken to six decimal places and the weights at their exact
   * binary values, so every JVM gets the same capacities. Keys are placed in the order of their
   * fingerprint, then their text, so the result does not depend on the input order.
   *
   * <p>No member then holds more than its capacity, so the most loaded member holds at most about
   * {@code c} times its fair share. The price is movement: a change of the member set also moves
   * keys between surviving members (when capacities change), which plain {@link
   * #assign(Collection)} never does. Each occurrence of a key counts toward the capacity.
   *
   * @param capacityFactor {@code c}, at least 1
   * @throws IllegalArgumentException if {@code c} is not finite or below 1
   */
  public Assignment assignBounded(Collection<TargetKey> keys, double capacityFactor) {
    if (!Double.isFinite(capacityFactor) || capacityFactor < 1) {
      throw new IllegalArgumentException("capacity factor must be >= 1, got " + capacityFactor);
    }
    List<TargetKey> list = List.copyOf(keys);
    int[] capacity = capacities(list.size(), capacityFactor);
    long[] keyHashes = new long[list.size()];
    Integer[] order = new Integer[list.size()];
    for (int i = 0; i < order.length; i++) {
      keyHashes[i] = Hashes.fingerprint(list.get(i).value());
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.<Integer>comparingLong(i -> keyHashes[i] ^ Long.MIN_VALUE)
            .thenComparing(i -> list.get(i).value()));
    int[] owners = new int[order.length];
    int[] load = new int[members.size()];
    boolean[] full = new boolean[members.size()];
    for (int i : order) {
      int owner = ownerIndex(keyHashes[i], full);
      owners[i] = owner;
      full[owner] = ++load[owner] >= capacity[owner];
    }
    return new Assignment(list, members, owners);
  }

  private int[] capacities(int keyCount, double capacityFactor) {
    BigDecimal total = BigDecimal.ZERO;
    for (double w : weights) {
      total = total.add(new BigDecimal(w));
    }
    // c to six decimals, so that c = 1.02 means 102/100 and not the double just above it.
    long ppm = Math.round(capacityFactor * 1_000_000);
    BigDecimal scaled = BigDecimal.valueOf(ppm).multiply(BigDecimal.valueOf(keyCount));
    total = total.multiply(BigDecimal.valueOf(1_000_000));
    int[] capacity = new int[weights.length];
    for (int i = 0; i < weights.length; i++) {
      BigDecimal c =
          scaled.multiply(new BigDecimal(weights[i])).divide(total, 0, RoundingMode.CEILING);
      capacity[i] = c.min(BigDecimal.valueOf(Integer.MAX_VALUE)).intValueExact();
    }
    return capacity;
  }

  /**
   * The best member for {@code keyHash} among those not marked {@code excluded}. Within a group of
   * equal weight the score grows with {@code u}, so the group's best is found from the bits alone
   * and only one logarithm per distinct weight is needed: with equal weights, none at all.
   */
  private int ownerIndex(long keyHash, boolean[] excluded) {
    if (excluded == null && weightGroups.length == 1) {
      return bestOfAll(keyHash);
    }
    int best = -1;
    long bestBits = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int[] group : weightGroups) {
      int candidate = bestInGroup(keyHash, group, excluded);
      if (candidate < 0) {
        continue;
      }
      long bits = Hashes.pairBits(keyHash, memberHashes[candidate]);
      if (weightGroups.length == 1) {
        return candidate;
      }
      double score = Hashes.score(weights[candidate], bits);
      if (best < 0 || beats(score, bits, candidate, bestScore, bestBits, best)) {
        best = candidate;
        bestBits = bits;
        bestScore = score;
      }
    }
    if (best < 0) {
      throw new IllegalStateException("every member is excluded");
    }
    return best;
  }

  // The common case (equal weights, nothing excluded) as a loop the JIT can pipeline.
  private int bestOfAll(long keyHash) {
    long[] hashes = memberHashes;
    int best = 0;
    long bestBits = Hashes.pairBits(keyHash, hashes[0]);
    for (int i = 1; i < hashes.length; i++) {
      long bits = Hashes.pairBits(keyHash, hashes[i]);
      if (bits > bestBits) {
        best = i;
        bestBits = bits;
      }
    }
    return best;
  }

  private int bestInGroup(long keyHash, int[] group, boolean[] excluded) {
    int best = -1;
    long bestBits = -1;
    for (int i : group) {
      if (excluded != null && excluded[i]) {
        continue;
      }
      long bits = Hashes.pairBits(keyHash, memberHashes[i]);
      if (bits > bestBits) { // strictly: on equal bits the lower index (smaller id) stays
        best = i;
        bestBits = bits;
      }
    }
    return best;
  }

  private static boolean beats(double s1, long b1, int i1, double s2, long b2, int i2) {
    if (s1 != s2) {
      return s1 > s2;
    }
    if (b1 != b2) {
      return b1 > b2;
    }
    return i1 < i2;
  }

  /** The factory call that rebuilds this instance. */
  @Override
  public String toString() {
    return "Rendezvous.of(" + members + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rendezvous r && r.members.equals(members);
  }

  @Override
  public int hashCode() {
    return members.hashCode();
  }
}
