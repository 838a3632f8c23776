package io.scrapeshard.coordinator;

import io.scrapeshard.hashing.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One membership generation: from {@code activateAtMillis} on (until a later epoch activates), each
 * target belongs to its rendezvous winner among {@code members}.
 *
 * <p>An epoch also names the process (incarnation) of each member: a process scrapes only under its
 * own incarnation, so a stale process with a reused id (one cut off from ZooKeeper while a
 * replacement started) stops exactly when an epoch naming its replacement takes effect.
 *
 * <pre>{@code
 * Epoch e = new Epoch(7, List.of(Member.of("scrape-shard-0"), Member.of("scrape-shard-1")), 1_700_000_000_000L);
 * }</pre>
 *
 * @param number at least 1; unique and increasing in an {@link EpochList}
 * @param members sorted by id on construction; ids unique; may be empty (nobody scrapes)
 * @param incarnations member id to incarnation; a member without an entry matches any process
 * @param activateAtMillis wall-clock milliseconds since the epoch (1970) at which it takes effect
 */
public record Epoch(
    long number, List<Member> members, Map<String, String> incarnations, long activateAtMillis) {

  /**
   * Validates and sorts.
   *
   * @throws IllegalArgumentException naming the offending value
   */
  public Epoch {
    if (number < 1) {
      throw new IllegalArgumentException("epoch number must be >= 1, got " + number);
    }
    if (activateAtMillis < 0) {
      throw new IllegalArgumentException(
          "epoch " + number + " activateAtMillis must be >= 0, got " + activateAtMillis);
    }
    List<Member> sorted = new ArrayList<>(Objects.requireNonNull(members, "members"));
    sorted.sort(Comparator.comparing(Member::id));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
        throw new IllegalArgumentException(
            "epoch " + number + " has duplicate member id '" + sorted.get(i).id() + "'");
      }
    }
    members = List.copyOf(sorted);
    incarnations = new TreeMap<>(Objects.requireNonNull(incarnations, "incarnations"));
    for (String id : incarnations.keySet()) {
      if (sorted.stream().noneMatch(m -> m.id().equals(id))) {
        throw new IllegalArgumentException(
            "epoch " + number + " names an incarnation for '" + id + "', which is not a member");
      }
    }
    incarnations = java.util.Collections.unmodifiableMap(incarnations);
  }

  /** An epoch that does not name incarnations. */
  public Epoch(long number, List<Member> members, long activateAtMillis) {
    this(number, members, Map.of(), activateAtMillis);
  }

  /** Whether the process {@code incarnation} may act as member {@code memberId} in this epoch. */
  public boolean admits(String memberId, String incarnation) {
    String named = incarnations.get(memberId);
    return contains(memberId) && (named == null || named.equals(incarnation));
  }

  /**
   * This epoch's members and incarnations without {@code ids}, as epoch {@code n} at {@code at}.
   */
  Epoch without(java.util.Set<String> ids, long n, long at) {
    Map<String, String> kept = new TreeMap<>(incarnations);
    kept.keySet().removeAll(ids);
    return new Epoch(n, members.stream().filter(m -> !ids.contains(m.id())).toList(), kept, at);
  }

  /** Whether {@code memberId} is a member of this epoch. */
  public boolean contains(String memberId) {
    return members.stream().anyMatch(m -> m.id().equals(memberId));
  }
}
