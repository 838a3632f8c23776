package io.scrapeshard.coordinator;

import io.scrapeshard.hashing.TargetKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The invariant checker: at every scrape slot of every key ({@code k × interval + offset(key)}), as
 * that slot falls due, asks every live coordinator whether it would fire it — exactly what a
 * scheduler does — and records slots with two owners or none.
 */
final class SlotAuditor implements AutoCloseable {

  record Slot(TargetKey key, long slotMillis, List<String> owners) {}

  private final List<TargetKey> keys;
  private final long[] offsets;
  private final long interval;
  private final LongFunction<Collection<ShardCoordinator>> live;
  private final ScheduledExecutorService ticker;
  private final List<Slot> doubles = Collections.synchronizedList(new ArrayList<>());
  private final List<Slot> nones = Collections.synchronizedList(new ArrayList<>());
  private volatile long checked;
  private long last;

  /**
   * @param live the coordinators that were running at a given instant: a member that left still
   *     fires the slots before its departure, a crashed one fires none after its crash
   */
  SlotAuditor(
      List<TargetKey> keys, long intervalMillis, LongFunction<Collection<ShardCoordinator>> live) {
    this.keys = List.copyOf(keys);
    this.interval = intervalMillis;
    this.live = live;
    this.offsets = new long[keys.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = Math.floorMod(keys.get(i).value().hashCode() * 2_654_435_761L, intervalMillis);
    }
    this.last = System.currentTimeMillis();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "slot-auditor");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(this::tick, 0, 20, TimeUnit.MILLISECONDS);
  }

  static List<TargetKey> keys(int n) {
    List<TargetKey> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(TargetKey.ofPod("ns-" + (i % 17), "pod-" + i, 8080, "/metrics"));
    }
    return keys;
  }

  private void tick() {
    long now = System.currentTimeMillis();
    for (int i = 0; i < keys.size(); i++) {
      long slot = now - Math.floorMod(now - offsets[i], interval);
      if (slot > last) {
        check(keys.get(i), slot, live.apply(slot));
      }
    }
    last = now;
  }

  private void check(TargetKey key, long slot, Collection<ShardCoordinator> members) {
    List<String> owners = new ArrayList<>(1);
    for (ShardCoordinator c : members) {
      if (c.view().ownsSlot(key, Instant.ofEpochMilli(slot))) {
        owners.add(c.view().self());
      }
    }
    checked++;
    if (owners.size() > 1) {
      doubles.add(new Slot(key, slot, owners));
    } else if (owners.isEmpty()) {
      nones.add(new Slot(key, slot, owners));
    }
  }

  long checked() {
    return checked;
  }

  List<Slot> doubles() {
    synchronized (doubles) {
      return List.copyOf(doubles);
    }
  }

  List<Slot> nones() {
    synchronized (nones) {
      return List.copyOf(nones);
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
