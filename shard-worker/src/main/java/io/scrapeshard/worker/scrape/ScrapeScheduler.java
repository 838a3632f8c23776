package io.scrapeshard.worker.scrape;

import com.google.common.hash.Hashing;
import io.scrapeshard.hashing.TargetKey;
import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.scrapeshard.worker.discovery.TargetSource;
import io.scrapeshard.worker.exposition.ExpositionException;
import io.scrapeshard.worker.exposition.TextParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires every target's scrape slots (DESIGN.md rule 7): slot {@code k} of a target is at {@code k ×
 * interval + offset(key)}, where the offset is a fixed phase of the key, so every worker computes
 * the same slots. At fire time the slot's owner is asked ({@code ownsSlot}); only the owner
 * scrapes. A slot fires at most once; a slot more than half an interval late is skipped and
 * counted. Samples are stamped with the slot's time, so the old and the new owner of a moved target
 * continue one regular series.
 *
 * <p>Staleness markers as Prometheus writes them: for series that vanish between two scrapes, for
 * every series of a failed scrape's target, and for the last series of a target that disappears
 * from discovery — but not when a target moves to another worker (the new owner continues the
 * series).
 */
public final class ScrapeScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeScheduler.class);

  private final ScrapeJob job;
  private final BiPredicate<TargetKey, Instant> owns;
  private final HttpScraper scraper;
  private final Consumer<List<Series>> output;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final ExecutorService parsers;
  private final Map<TargetKey, Loop> loops = new ConcurrentHashMap<>();
  final AtomicLong scrapes = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong skippedLate = new AtomicLong();
  final AtomicLong staleMarkers = new AtomicLong();
  final AtomicLong samplesScraped = new AtomicLong();
  private volatile boolean closed;
  private volatile DoubleConsumer durations = seconds -> {};
  private final Object idle = new Object();
  private int inFlight; // guarded by idle

  /**
   * @param owns whether this worker owns a target's slot (the coordinator's {@code ownsSlot})
   * @param output where the series go (the remote-write queue)
   * @param timer fires the slots
   * @param parsers parse payloads off the HTTP event loop
   */
  public ScrapeScheduler(
      ScrapeJob job,
      BiPredicate<TargetKey, Instant> owns,
      HttpScraper scraper,
      Consumer<List<Series>> output,
      Clock clock,
      ScheduledExecutorService timer,
      ExecutorService parsers) {
    this.job = job;
    this.owns = owns;
    this.scraper = scraper;
    this.output = output;
    this.clock = clock;
    this.timer = timer;
    this.parsers = parsers;
  }

  /** The job this scheduler runs. */
  public ScrapeJob job() {
    return job;
  }

  /**
   * Hears every scrape's duration in seconds (for the self-metrics histogram), on a parser thread;
   * must not block.
   */
  public void observeDurations(DoubleConsumer observer) {
    this.durations = java.util.Objects.requireNonNull(observer, "observer");
  }

  /**
   * Waits until no scrape is in flight (each has delivered its samples), for at most {@code
   * timeoutMillis}; returns whether none is.
   */
  public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + timeoutMillis * 1_000_000;
    synchronized (idle) {
      while (inFlight > 0) {
        long left = (end - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        idle.wait(left);
      }
      return true;
    }
  }

  /** Counters for self-metrics. */
  public record Stats(
      long targets,
      long scrapes,
      long failures,
      long skippedLate,
      long staleMarkers,
      long samplesScraped) {}

  public Stats stats() {
    return new Stats(
        loops.size(),
        scrapes.get(),
        failures.get(),
        skippedLate.get(),
        staleMarkers.get(),
        samplesScraped.get());
  }

  /** Follows {@code snapshot}: new targets get their slots, vanished ones stop (with staleness). */
  public synchronized void update(TargetSource.Snapshot snapshot) {
    if (closed) {
      return;
    }
    Map<TargetKey, ScrapeTarget> targets = snapshot.targets();
    for (Map.Entry<TargetKey, Loop> e : Map.copyOf(loops).entrySet()) {
      ScrapeTarget now = targets.get(e.getKey());
      if (now == null) {
        loops.remove(e.getKey()).disappeared();
      } else {
        e.getValue().target = now; // a label or address change applies from the next slot
      }
    }
    for (ScrapeTarget t : targets.values()) {
      loops.computeIfAbsent(t.key(), k -> new Loop(t)).start();
    }
  }

  /** The offset of {@code key}'s slots within the interval: a fixed phase, the same everywhere. */
  static long offset(TargetKey key, long intervalMillis) {
    long h =
        Hashing.farmHashFingerprint64().hashString(key.value(), StandardCharsets.UTF_8).asLong();
    return Math.floorMod(h, intervalMillis);
  }

  /** The first slot at or after {@code millis}. */
  static long slotAtOrAfter(long millis, long interval, long offset) {
    long k = Math.floorDiv(millis - offset + interval - 1, interval);
    return k * interval + offset;
  }

  private final class Loop {
    volatile ScrapeTarget target;
    private final long interval = job.interval().toMillis();
    private final long offset;
    private ScheduledFuture<?> next;
    private final ScrapeCache cache = new ScrapeCache(); // guarded by this
    private boolean started;
    private volatile boolean stopped;

    Loop(ScrapeTarget target) {
      this.target = target;
      this.offset = offset(target.key(), interval);
    }

    synchronized void start() {
      if (!started) {
        started = true;
        schedule(slotAtOrAfter(clock.millis() + 1, interval, offset));
      }
    }

    private void schedule(long slot) {
      if (!stopped && !closed) {
        next =
            timer.schedule(
                () -> fire(slot), Math.max(0, slot - clock.millis()), TimeUnit.MILLISECONDS);
      }
    }

    private void fire(long slot) {
      if (stopped || closed) {
        return;
      }
      schedule(slot + interval);
      long late = clock.millis() - slot;
      if (late > interval / 2) {
        skippedLate.incrementAndGet();
        LOG.debug("slot {} of {} skipped: {} ms late", slot, target.key(), late);
        return;
      }
      if (!owns.test(target.key(), Instant.ofEpochMilli(slot))) {
        synchronized (this) {
          cache.forgetAll(); // moved away, or never ours: the new owner continues the series
        }
        return;
      }
      scrape(target, slot);
    }

    private void scrape(ScrapeTarget t, long slot) {
      synchronized (idle) {
        inFlight++;
      }
      long start = System.nanoTime();
      ScrapeProcessor processor =
          new ScrapeProcessor(t.labels(), job.honorLabels(), job.sampleLimit());
      scraper
          .scrape(t, job.timeout())
          .whenCompleteAsync(
              (payload, error) -> {
                try {
                  deliver(t, processor, payload, error, slot, start);
                } finally {
                  synchronized (idle) {
                    if (--inFlight == 0) {
                      idle.notifyAll();
                    }
                  }
                }
              },
              parsers);
    }

    private synchronized void deliver(
        ScrapeTarget t,
        ScrapeProcessor processor,
        HttpScraper.Payload payload,
        Throwable error,
        long slot,
        long startNanos) {
      cache.begin(processor, t.labels(), slot);
      String failure = null;
      if (error != null) {
        failure = rootMessage(error);
      } else {
        try {
          TextParser.parse(
              payload.body(),
              payload.body().length,
              TextParser.formatOf(payload.contentType()),
              cache);
          if (job.sampleLimit() > 0 && cache.samples() > job.sampleLimit()) {
            failure = "sample_limit exceeded: " + cache.samples() + " > " + job.sampleLimit();
          }
        } catch (ExpositionException e) {
          failure = "invalid payload: " + e.getMessage();
        }
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      durations.accept(seconds);
      ScrapeResult result =
          failure == null
              ? processor.fromCache(
                  cache.series(), cache.samples(), cache.duplicates(), slot, seconds)
              : processor.failure(slot, seconds, cache.samples(), failure);
      List<Series> out = new ArrayList<>(result.series());
      List<Series> stale = cache.finish(failure == null);
      out.addAll(stale);
      staleMarkers.addAndGet(stale.size());
      if (stopped) {
        cache.forgetAll();
      }
      scrapes.incrementAndGet();
      samplesScraped.addAndGet(result.scraped());
      if (!result.up()) {
        failures.incrementAndGet();
        LOG.debug("scrape of {} failed: {}", t.key(), result.failure());
      }
      output.accept(out);
    }

    /** The target left discovery: its last series go stale, if this worker scraped it last. */
    synchronized void disappeared() {
      stopped = true;
      if (next != null) {
        next.cancel(false);
      }
      List<SeriesLabels> last = cache.forgetAll();
      if (!last.isEmpty()) {
        long now = clock.millis();
        List<Series> stale = new ArrayList<>();
        last.forEach(labels -> stale.add(new Series(labels, Series.STALE_NAN, now)));
        staleMarkers.addAndGet(stale.size());
        output.accept(stale);
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof HttpScraper.ScrapeFailure)) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /** Stops firing slots; scrapes in flight still deliver. */
  @Override
  public synchronized void close() {
    closed = true;
    loops
        .values()
        .forEach(
            l -> {
              if (l.next != null) {
                l.next.cancel(false);
              }
            });
  }
}
