package io.scrapeshard.coordinator;

import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One worker's knowledge of who owns what, and when.
 *
 * <p>Ownership of a scrape slot is decided at fire time with {@link #ownsSlot}: the owner is the
 * rendezvous winner among the members of the newest epoch activated at or before the slot. Every
 * worker applies the same rule to the same list, so the old owner fires every slot before a handoff
 * and the new owner every slot from it.
 *
 * <p>Reads never block and never touch ZooKeeper: they work on the last list learned, through
 * connection loss too. Thread-safe.
 *
 * <pre>{@code
 * if (view.ownsSlot(target, slot)) {
 *   scrape(target);
 * }
 * }</pre>
 */
public interface ShardView {

  /** This worker's member id. */
  String self();

  /** The epochs this worker knows, oldest first (old ones kept while a late slot may need them). */
  EpochList epochs();

  /** The epoch in force at {@code at}. */
  Optional<Epoch> activeEpoch(Instant at);

  /** The owner of {@code key} at {@code at}; empty before the first epoch. */
  Optional<Member> ownerOf(TargetKey key, Instant at);

  /**
   * Whether this worker must scrape {@code key}'s slot at {@code slot}: it owns it by the epoch
   * list, and it has not been stopped (evicted while cut off from ZooKeeper, replaced by a newer
   * incarnation, or reloading after a new session).
   */
  boolean ownsSlot(TargetKey key, Instant slot);

  /** The first {@code k} members for {@code key} in the epoch in force now. */
  List<Member> ranking(TargetKey key, int k);

  /**
   * Per epoch number: how much notice the epoch gave, {@code activateAt} minus when this worker
   * learned it (negative: learned late).
   */
  Map<Long, Long> noticeMillis();

  /**
   * This worker's clock when it learned the latest list, minus the ZooKeeper {@code mtime} of that
   * write: clock skew plus propagation delay.
   */
  long skewMillis();

  /**
   * Calls {@code listener} with the new list after every change. Listeners run on the coordinator's
   * single event thread, in order; they must return quickly and not block.
   */
  void addListener(Consumer<EpochList> listener);
}
