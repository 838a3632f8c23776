package io.scrapeshard.coordinator;

import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ShardView} of one coordinator. Written only by its event thread. */
final class LocalView implements ShardView {

  private static final Logger LOG = LoggerFactory.getLogger(LocalView.class);

  private final String self;
  private final String incarnation;
  private final Clock clock;
  private final long retentionMillis;
  private final List<Consumer<EpochList>> listeners = new CopyOnWriteArrayList<>();
  private final Map<Long, Long> notice = new ConcurrentHashMap<>();

  private volatile EpochList epochs = EpochList.empty();
  private volatile long skewMillis;
  private volatile String stoppedBecause; // non-null: this worker must not scrape
  private volatile java.util.concurrent.CountDownLatch reloading; // non-null: re-reading the epochs
  private volatile long reloadDeadline; // System.nanoTime() after which slots stop waiting

  LocalView(String self, String incarnation, Clock clock, long retentionMillis) {
    this.self = self;
    this.incarnation = incarnation;
    this.clock = clock;
    this.retentionMillis = retentionMillis;
  }

  /** Takes a list read from ZooKeeper, written at {@code mtimeMillis} (server clock). */
  void learn(EpochList published, long mtimeMillis) {
    long now = clock.millis();
    EpochList merged = epochs.mergedWith(published, now, retentionMillis);
    skewMillis = now - mtimeMillis;
    for (Epoch e : published.epochs()) {
      if (notice.putIfAbsent(e.number(), e.activateAtMillis() - now) == null
          && e.activateAtMillis() > now) {
        LOG.info(
            "member {} learned epoch {} ({} members) activating in {} ms",
            self,
            e.number(),
            e.members().size(),
            e.activateAtMillis() - now);
      }
    }
    notice.keySet().removeIf(n -> merged.epochs().stream().noneMatch(e -> e.number() == n));
    if (!merged.equals(epochs)) {
      epochs = merged;
      listeners.forEach(l -> l.accept(merged));
    }
  }

  /** Takes a newer list served by a peer while this worker cannot reach ZooKeeper. */
  void learnFromPeer(EpochList fromPeer) {
    long ours = epochs.newest().map(Epoch::number).orElse(0L);
    if (fromPeer.newest().map(Epoch::number).orElse(0L) <= ours) {
      return;
    }
    learn(fromPeer, fromPeer.publishedAtMillis());
    long now = clock.millis();
    boolean admitted = epochs.activeAt(now).map(e -> e.admits(self, incarnation)).orElse(false);
    boolean later = epochs.pendingAt(now).stream().anyMatch(e -> e.admits(self, incarnation));
    if (!admitted && !later) {
      LOG.warn(
          "member {} was evicted (learned from a peer): it owns no slot from epoch {} on",
          self,
          epochs.newest().map(Epoch::number).orElse(0L));
    }
  }

  String incarnation() {
    return incarnation;
  }

  /** Drops epochs that can no longer decide a slot. */
  void expire() {
    EpochList kept = epochs.retained(clock.millis(), retentionMillis);
    if (kept != epochs) {
      epochs = kept;
    }
  }

  /**
   * A new session began: until {@link #reloaded()}, {@link #ownsSlot} waits (at most {@code
   * RELOAD_WAIT_MILLIS}) so that no slot fires on a list that may miss an eviction.
   */
  void reloadStarted() {
    if (reloading == null) {
      reloadDeadline = System.nanoTime() + RELOAD_WAIT_MILLIS * 1_000_000;
      reloading = new java.util.concurrent.CountDownLatch(1);
    }
  }

  void reloaded() {
    java.util.concurrent.CountDownLatch latch = reloading;
    reloading = null;
    if (latch != null) {
      latch.countDown();
    }
  }

  /** How long a slot waits for the epochs to be re-read after a new session. */
  static final long RELOAD_WAIT_MILLIS = 2_000;

  private void awaitReload() {
    java.util.concurrent.CountDownLatch latch = reloading;
    if (latch == null) {
      return;
    }
    try {
      long left = reloadDeadline - System.nanoTime();
      if (left > 0 && !latch.await(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
        LOG.debug(
            "member {}: epochs not reloaded within {} ms; deciding on the last list",
            self,
            RELOAD_WAIT_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stop(String reason) {
    if (stoppedBecause == null) {
      LOG.warn("member {} stops scraping: {}", self, reason);
    }
    stoppedBecause = reason;
  }

  Optional<String> stoppedBecause() {
    return Optional.ofNullable(stoppedBecause);
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public EpochList epochs() {
    return epochs;
  }

  @Override
  public Optional<Epoch> activeEpoch(Instant at) {
    return epochs.activeAt(at.toEpochMilli());
  }

  @Override
  public Optional<Member> ownerOf(TargetKey key, Instant at) {
    return epochs.ownerOf(key, at.toEpochMilli());
  }

  @Override
  public boolean ownsSlot(TargetKey key, Instant slot) {
    awaitReload();
    if (stoppedBecause != null) {
      return false;
    }
    long t = slot.toEpochMilli();
    Optional<Epoch> epoch = epochs.activeAt(t);
    return epoch.isPresent()
        && epoch.get().admits(self, incarnation)
        && epochs.ownerOf(key, t).map(m -> m.id().equals(self)).orElse(false);
  }

  @Override
  public List<Member> ranking(TargetKey key, int k) {
    return epochs.ranking(key, k, clock.millis());
  }

  @Override
  public Map<Long, Long> noticeMillis() {
    return Map.copyOf(notice);
  }

  @Override
  public long skewMillis() {
    return skewMillis;
  }

  @Override
  public void addListener(Consumer<EpochList> listener) {
    listeners.add(listener);
  }
}
