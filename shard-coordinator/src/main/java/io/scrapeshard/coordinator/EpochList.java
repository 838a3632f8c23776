package io.scrapeshard.coordinator;

import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.Rendezvous;
import io.scrapeshard.hashing.TargetKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The epochs a worker needs: normally the newest one that is active everywhere plus any pending
 * one. The owner of a scrape slot is a pure function of the slot's time and this list: the
 * rendezvous winner among the members of the newest epoch whose {@code activateAtMillis} is at or
 * before the slot. Immutable and thread-safe.
 *
 * <p>Invariant, checked on construction: epoch numbers strictly increase and {@code
 * activateAtMillis} never decreases along the list.
 */
public final class EpochList {

  private static final EpochList EMPTY = new EpochList(List.of(), 0);

  private final List<Epoch> epochs;
  private final long publishedAtMillis;
  private final Map<Long, Rendezvous> hashes = new HashMap<>();

  private EpochList(List<Epoch> epochs, long publishedAtMillis) {
    this.epochs = List.copyOf(epochs);
    this.publishedAtMillis = publishedAtMillis;
    for (Epoch e : this.epochs) {
      if (!e.members().isEmpty()) {
        hashes.put(e.number(), Rendezvous.of(e.members()));
      }
    }
  }

  /** The list without epochs: nobody owns anything. */
  public static EpochList empty() {
    return EMPTY;
  }

  /**
   * A list of {@code epochs}, oldest first.
   *
   * @throws IllegalArgumentException if numbers do not strictly increase or an activation time goes
   *     back
   */
  public static EpochList of(List<Epoch> epochs, long publishedAtMillis) {
    Objects.requireNonNull(epochs, "epochs");
    for (int i = 1; i < epochs.size(); i++) {
      Epoch a = epochs.get(i - 1);
      Epoch b = epochs.get(i);
      if (b.number() <= a.number()) {
        throw new IllegalArgumentException(
            "epoch numbers must increase, got " + a.number() + " then " + b.number());
      }
      if (b.activateAtMillis() < a.activateAtMillis()) {
        throw new IllegalArgumentException(
            "activateAtMillis must not decrease, got epoch "
                + a.number()
                + " at "
                + a.activateAtMillis()
                + " then epoch "
                + b.number()
                + " at "
                + b.activateAtMillis());
      }
    }
    return new EpochList(epochs, publishedAtMillis);
  }

  /**
   * The JSON that the leader writes to the {@code epochs} node and workers serve at {@code GET
   * /api/v1/epochs}: {@code {schema, algorithm, publishedAt, epochs: [{epoch, members: [{id,
   * weight, incarnation}], activateAtMillis}]}}.
   */
  public byte[] toJson() {
    return Json.epochs(this);
  }

  /**
   * Parses {@link #toJson()}'s format.
   *
   * @throws CoordinatorException naming the field that is missing or wrong
   */
  public static EpochList fromJson(byte[] json) {
    return Json.epochs(json);
  }

  /** The epochs, oldest first. */
  public List<Epoch> epochs() {
    return epochs;
  }

  /** When the leader wrote this list (its clock), or 0 for a list not read from ZooKeeper. */
  public long publishedAtMillis() {
    return publishedAtMillis;
  }

  /** The newest epoch, active or pending. */
  public Optional<Epoch> newest() {
    return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
  }

  /** The epoch in force at {@code millis}: the newest one activated at or before it. */
  public Optional<Epoch> activeAt(long millis) {
    for (int i = epochs.size() - 1; i >= 0; i--) {
      if (epochs.get(i).activateAtMillis() <= millis) {
        return Optional.of(epochs.get(i));
      }
    }
    return Optional.empty();
  }

  /** Epochs that activate after {@code millis}. */
  public List<Epoch> pendingAt(long millis) {
    return epochs.stream().filter(e -> e.activateAtMillis() > millis).toList();
  }

  /**
   * The owner of {@code key} at {@code millis}; empty before the first epoch or without members.
   */
  public Optional<Member> ownerOf(TargetKey key, long millis) {
    return activeAt(millis).map(e -> hashes.get(e.number())).map(r -> r.owner(key));
  }

  /** The first {@code k} members for {@code key} in the epoch in force at {@code millis}. */
  public List<Member> ranking(TargetKey key, int k, long millis) {
    return activeAt(millis)
        .map(e -> hashes.get(e.number()))
        .map(r -> r.ranking(key, k))
        .orElse(List.of());
  }

  /**
   * This worker's list after receiving {@code published}: the published epochs, preceded by the
   * local epochs older than all of them that may still decide a slot (rule 6: keep epoch e until
   * the next one has been active for {@code retentionMillis}). Epochs the leader superseded (their
   * numbers fall inside the published range but are absent) are dropped.
   */
  EpochList mergedWith(EpochList published, long nowMillis, long retentionMillis) {
    if (published.epochs.isEmpty()) {
      return this.retained(nowMillis, retentionMillis);
    }
    long first = published.epochs.get(0).number();
    List<Epoch> merged = new ArrayList<>();
    for (Epoch e : epochs) {
      if (e.number() < first
          && e.activateAtMillis() <= published.epochs.get(0).activateAtMillis()) {
        merged.add(e);
      }
    }
    merged.addAll(published.epochs);
    return of(merged, published.publishedAtMillis).retained(nowMillis, retentionMillis);
  }

  /** Drops the epochs whose successor has been active for at least {@code retentionMillis}. */
  EpochList retained(long nowMillis, long retentionMillis) {
    int firstKept = 0;
    for (int i = 0; i + 1 < epochs.size(); i++) {
      if (epochs.get(i + 1).activateAtMillis() + retentionMillis <= nowMillis) {
        firstKept = i + 1;
      }
    }
    return firstKept == 0
        ? this
        : new EpochList(epochs.subList(firstKept, epochs.size()), publishedAtMillis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EpochList l
        && l.epochs.equals(epochs)
        && l.publishedAtMillis == publishedAtMillis;
  }

  @Override
  public int hashCode() {
    return epochs.hashCode() * 31 + Long.hashCode(publishedAtMillis);
  }

  @Override
  public String toString() {
    return "EpochList" + epochs;
  }
}
