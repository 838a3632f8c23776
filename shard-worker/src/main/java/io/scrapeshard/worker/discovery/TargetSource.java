package io.scrapeshard.worker.discovery;

import io.scrapeshard.hashing.TargetKey;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where scrape targets come from (Kubernetes pods, file_sd files).
 *
 * <p>Contract: {@link #snapshot()} is always a consistent, immutable view; after each change every
 * listener gets the new snapshot, on the source's own notification thread, in order, with bursts of
 * changes coalesced into one call. Listeners must return quickly. Trouble with the backing system
 * (an API server outage, a broken file) never empties the snapshot: the last good content stays
 * until the source can read again. One lifecycle: {@link #start()} once, {@link #close()}
 * idempotent.
 */
public interface TargetSource extends AutoCloseable {

  /** Targets by key, whether the first complete read has finished, and a change counter. */
  record Snapshot(Map<TargetKey, ScrapeTarget> targets, boolean synced, long version) {
    public Snapshot {
      targets = Map.copyOf(targets);
    }

    static final Snapshot EMPTY = new Snapshot(Map.of(), false, 0);
  }

  /** Starts reading; returns at once. */
  void start();

  /** The current targets. */
  Snapshot snapshot();

  /** Calls {@code listener} after each change (see the contract above). */
  void addListener(Consumer<Snapshot> listener);

  /** Targets skipped so far, by reason. */
  Map<InvalidTargetReason, Long> invalidCounts();

  @Override
  void close();
}
