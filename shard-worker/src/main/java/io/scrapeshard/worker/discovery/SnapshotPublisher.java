package io.scrapeshard.worker.discovery;

import io.scrapeshard.hashing.TargetKey;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared half of a {@link TargetSource}: the current targets by an owner key (a pod, a file
 * entry), snapshots built once per burst of changes on one notification thread, counters and
 * rate-limited warnings for invalid targets.
 */
final class SnapshotPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
  private static final long WARN_EVERY_MILLIS = 5 * 60_000;
  private static final int WARN_MEMORY = 10_000;

  private final Map<String, ScrapeTarget> byOwner = new ConcurrentHashMap<>();
  private final List<Consumer<TargetSource.Snapshot>> listeners = new CopyOnWriteArrayList<>();
  private final Map<InvalidTargetReason, AtomicLong> invalid =
      new EnumMap<>(InvalidTargetReason.class);
  private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final AtomicLong version = new AtomicLong();
  private final ExecutorService notifier;
  private volatile boolean synced;
  private volatile TargetSource.Snapshot snapshot = TargetSource.Snapshot.EMPTY;

  SnapshotPublisher(String name) {
    for (InvalidTargetReason r : InvalidTargetReason.values()) {
      invalid.put(r, new AtomicLong());
    }
    notifier =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "discovery-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  void put(String owner, ScrapeTarget target) {
    if (!target.equals(byOwner.put(owner, target))) {
      changed();
    }
  }

  void remove(String owner) {
    if (byOwner.remove(owner) != null) {
      changed();
    }
  }

  /** Drops every target whose owner is not in {@code owners}. */
  void retainOwners(java.util.Set<String> owners) {
    if (byOwner.keySet().removeIf(k -> !owners.contains(k))) {
      changed();
    }
  }

  /** Replaces every target whose owner starts with {@code prefix}. */
  void replaceAll(String prefix, Map<String, ScrapeTarget> targets) {
    boolean change =
        byOwner.keySet().removeIf(k -> k.startsWith(prefix) && !targets.containsKey(k));
    for (Map.Entry<String, ScrapeTarget> e : targets.entrySet()) {
      change |= !e.getValue().equals(byOwner.put(e.getKey(), e.getValue()));
    }
    if (change) {
      changed();
    }
  }

  void synced() {
    if (!synced) {
      synced = true;
      changed();
    }
  }

  /** Counts a skipped target and logs it, at most once per owner and reason every 5 minutes. */
  void invalid(String owner, InvalidTargetReason reason, String message, long nowMillis) {
    invalid.get(reason).incrementAndGet();
    String key = owner + "|" + reason;
    Long last = lastWarned.get(key);
    if (last == null || nowMillis - last >= WARN_EVERY_MILLIS) {
      if (lastWarned.size() >= WARN_MEMORY) {
        lastWarned.clear(); // bounded memory; at worst a few repeated warnings
      }
      lastWarned.put(key, nowMillis);
      LOG.warn("skipping target ({}): {}", reason.label(), message);
    }
  }

  TargetSource.Snapshot snapshot() {
    return snapshot;
  }

  void addListener(Consumer<TargetSource.Snapshot> listener) {
    listeners.add(listener);
  }

  Map<InvalidTargetReason, Long> invalidCounts() {
    Map<InvalidTargetReason, Long> out = new EnumMap<>(InvalidTargetReason.class);
    invalid.forEach((r, n) -> out.put(r, n.get()));
    return out;
  }

  private void changed() {
    version.incrementAndGet();
    if (dirty.compareAndSet(false, true)) {
      notifier.execute(this::publish);
    }
  }

  private void publish() {
    dirty.set(false);
    Map<TargetKey, ScrapeTarget> targets = new java.util.HashMap<>();
    byOwner.values().forEach(t -> targets.put(t.key(), t));
    snapshot = new TargetSource.Snapshot(targets, synced, version.get());
    for (Consumer<TargetSource.Snapshot> l : listeners) {
      try {
        l.accept(snapshot);
      } catch (RuntimeException e) {
        LOG.error("target listener failed: {}", e.toString(), e);
      }
    }
  }

  @Override
  public void close() {
    notifier.shutdownNow();
  }
}
