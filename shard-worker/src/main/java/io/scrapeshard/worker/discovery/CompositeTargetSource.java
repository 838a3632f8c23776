package io.scrapeshard.worker.discovery;

import io.scrapeshard.hashing.TargetKey;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The union of several sources (one per configured job), for the REST API and self-metrics: synced
 * once every part has synced; a change in any part notifies the listeners on that part's thread. A
 * key that two parts both produce is listed once (the earlier part's target wins).
 */
public final class CompositeTargetSource implements TargetSource {

  private final List<TargetSource> parts;
  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();

  /** The parts are started and closed by their owner, not by this view. */
  public CompositeTargetSource(List<TargetSource> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("a composite source needs at least one part");
    }
    this.parts = List.copyOf(parts);
    for (TargetSource p : this.parts) {
      p.addListener(s -> changed());
    }
  }

  private void changed() {
    version.incrementAndGet();
    Snapshot now = snapshot();
    listeners.forEach(l -> l.accept(now));
  }

  @Override
  public void start() {
    // the parts belong to their jobs
  }

  @Override
  public Snapshot snapshot() {
    if (parts.size() == 1) {
      return parts.get(0).snapshot();
    }
    Map<TargetKey, ScrapeTarget> all = new HashMap<>();
    boolean synced = true;
    for (TargetSource p : parts) {
      Snapshot s = p.snapshot();
      synced &= s.synced();
      s.targets().forEach(all::putIfAbsent);
    }
    return new Snapshot(all, synced, version.get());
  }

  @Override
  public void addListener(Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  @Override
  public Map<InvalidTargetReason, Long> invalidCounts() {
    Map<InvalidTargetReason, Long> sum = new EnumMap<>(InvalidTargetReason.class);
    for (TargetSource p : parts) {
      p.invalidCounts().forEach((r, n) -> sum.merge(r, n, Long::sum));
    }
    return sum;
  }

  @Override
  public void close() {
    // the parts belong to their jobs
  }
}
