package io.scrapeshard.worker;

import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.worker.discovery.TargetSource;
import io.scrapeshard.worker.remotewrite.RemoteWriteQueue;
import io.scrapeshard.worker.scrape.HttpScraper;
import io.scrapeshard.worker.scrape.ScrapeJob;
import io.scrapeshard.worker.scrape.ScrapeScheduler;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scrape-shard worker, assembled: discovery feeds the scheduler, the coordinator decides which
 * slots are this worker's, the scraper fetches them, remote write ships the samples.
 *
 * <p>Lifecycle (DESIGN.md rules 8 and 9): {@link #start()} connects the coordinator and starts
 * discovery, and joins the cluster only once discovery has synced; {@link #stop(Duration)} hands
 * off (marks the member leaving, keeps scraping until an epoch without it is in force), lets the
 * scrapes of earlier slots finish, flushes remote write and leaves ZooKeeper — within the deadline.
 */
public final class Worker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final ShardCoordinator coordinator;
  private final TargetSource source;
  private final RemoteWriteQueue output;
  private final Vertx vertx;
  private final HttpScraper scraper;
  private final ScrapeScheduler scheduler;
  private final ScheduledExecutorService timer;
  private final ExecutorService parsers;
  private final ScrapeJob job;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();

  /**
   * @param coordinator not yet started; the worker owns its lifecycle from now on
   * @param source not yet started
   * @param output not yet started
   */
  public Worker(
      ShardCoordinator coordinator,
      TargetSource source,
      RemoteWriteQueue output,
      ScrapeJob job,
      HttpScraper.Options scrapeOptions,
      Clock clock) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.source = Objects.requireNonNull(source, "source");
    this.output = Objects.requireNonNull(output, "output");
    this.job = Objects.requireNonNull(job, "job");
    this.vertx = Vertx.vertx();
    this.scraper = new HttpScraper(vertx, scrapeOptions);
    this.timer = Executors.newScheduledThreadPool(2, daemon("scrape-timer"));
    this.parsers =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("scrape-parse"));
    this.scheduler =
        new ScrapeScheduler(
            job, coordinator.view()::ownsSlot, scraper, output::offer, clock, timer, parsers);
  }

  /** Starts everything; joins the cluster when discovery has synced. Returns at once. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("worker already started");
    }
    output.start();
    coordinator.start();
    AtomicBoolean joined = new AtomicBoolean();
    source.addListener(
        snapshot -> {
          scheduler.update(snapshot);
          if (snapshot.synced() && joined.compareAndSet(false, true)) {
            LOG.info(
                "member {}: discovery synced with {} targets; joining",
                coordinator.view().self(),
                snapshot.targets().size());
            coordinator.join();
          }
        });
    source.start();
  }

  public ShardCoordinator coordinator() {
    return coordinator;
  }

  public TargetSource source() {
    return source;
  }

  public RemoteWriteQueue output() {
    return output;
  }

  public ScrapeScheduler scheduler() {
    return scheduler;
  }

  /** Graceful leave (rule 9), everything within {@code deadline}. Idempotent. */
  public void stop(Duration deadline) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long end = System.nanoTime() + deadline.toNanos();
    try {
      if (started.get()) {
        coordinator.leave(deadline.dividedBy(2)).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("member {} handed off", coordinator.view().self());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      LOG.warn(
          "member {}: hand-off incomplete within its deadline ({}); leaving anyway",
          coordinator.view().self(),
          e.getCause() == null ? e : e.getCause().getMessage());
    }
    // slots before the hand-off may still be scraping: give them one scrape timeout
    sleepQuietly(Math.min(job.timeout().toMillis(), remaining(end)));
    scheduler.close();
    source.close();
    output.close(Duration.ofMillis(Math.max(100, remaining(end))));
    coordinator.close();
    scraper.close();
    timer.shutdownNow();
    parsers.shutdownNow();
    vertx.close();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(20));
  }

  private static long remaining(long endNanos) {
    return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis); // waiting out in-flight scrapes, bounded by the scrape timeout
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
