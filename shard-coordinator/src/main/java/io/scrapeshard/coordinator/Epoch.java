package io.scrapeshard.coordinator;

import io.scrapeshard.hashing.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One membership generation: from {@code activateAtMillis} on (until a later epoch activates), each
 * target belongs to its rendezvous winner among {@code members}.
 *
 * <pre>{@code
 * Epoch e = new Epoch(7, List.of(Member.of("scrape-shard-0"), Member.of("scrape-shard-1")), 1_700_000_000_000L);
 * }</pre>
 *
 * @param number at least 1; unique and increasing in an {@link EpochList}
 * @param members sorted by id on construction; ids unique; may be empty (nobody scrapes)
 * @param activateAtMillis wall-clock milliseconds since the epoch (1970) at which it takes effect
 */
public record Epoch(long number, List<Member> members, long activateAtMillis) {

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
  }

  /** Whether {@code memberId} is a member of this epoch. */
  public boolean contains(String memberId) {
    return members.stream().anyMatch(m -> m.id().equals(memberId));
  }
}
