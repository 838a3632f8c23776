package io.scrapeshard.worker;

import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.worker.discovery.CompositeTargetSource;
import io.scrapeshard.worker.discovery.TargetSource;
import io.scrapeshard.worker.remotewrite.RemoteWriteQueue;
import io.scrapeshard.worker.scrape.HttpScraper;
import io.scrapeshard.worker.scrape.ScrapeJob;
import io.scrapeshard.worker.scrape.ScrapeScheduler;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** A scrape job and the source of its targets. */
  public record Job(ScrapeJob scrape, TargetSource source) {
    public Job {
      Objects.requireNonNull(scrape, "scrape");
      Objects.requireNonNull(source, "source");
    }
  }

  private final ShardCoordinator coordinator;
  private final List<Job> jobs;
  private final CompositeTargetSource source;
  private final RemoteWriteQueue output;
  private final Vertx vertx;
  private final HttpScraper scraper;
  private final List<ScrapeScheduler> schedulers = new ArrayList<>();
  private final ScheduledExecutorService timer;
  private final ExecutorService parsers;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();

  /**
   * One job.
   *
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
    this(coordinator, List.of(new Job(job, source)), output, scrapeOptions, clock);
  }

  /**
   * @param coordinator not yet started; the worker owns its lifecycle from now on
   * @param jobs at least one; names unique; their sources not yet started
   * @param output not yet started
   */
  public Worker(
      ShardCoordinator coordinator,
      List<Job> jobs,
      RemoteWriteQueue output,
      HttpScraper.Options scrapeOptions,
      Clock clock) {
    this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
    this.jobs = List.copyOf(jobs);
    if (this.jobs.isEmpty()) {
      throw new IllegalArgumentException("a worker needs at least one job");
    }
    if (this.jobs.stream().map(j -> j.scrape().name()).distinct().count() != this.jobs.size()) {
      throw new IllegalArgumentException(
          "job names must be unique, got "
              + this.jobs.stream().map(j -> j.scrape().name()).toList());
    }
    this.source = new CompositeTargetSource(this.jobs.stream().map(Job::source).toList());
    this.output = Objects.requireNonNull(output, "output");
    this.vertx = Vertx.vertx();
    this.scraper = new HttpScraper(vertx, scrapeOptions);
    this.timer = Executors.newScheduledThreadPool(2, daemon("scrape-timer"));
    this.parsers =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("scrape-parse"));
    for (Job j : this.jobs) {
      schedulers.add(
          new ScrapeScheduler(
              j.scrape(),
              coordinator.view()::ownsSlot,
              scraper,
              output::offer,
              clock,
              timer,
              parsers));
    }
  }

  /** Starts everything; joins the cluster when discovery has synced. Returns at once. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("worker already started");
    }
    output.start();
    coordinator.start();
    AtomicBoolean joined = new AtomicBoolean();
    for (int i = 0; i < jobs.size(); i++) {
      ScrapeScheduler scheduler = schedulers.get(i);
      jobs.get(i)
          .source()
          .addListener(
              snapshot -> {
                scheduler.update(snapshot);
                TargetSource.Snapshot all = source.snapshot();
                if (all.synced() && joined.compareAndSet(false, true)) {
                  LOG.info(
                      "member {}: discovery synced with {} targets; joining",
                      coordinator.view().self(),
                      all.targets().size());
                  coordinator.join();
                }
              });
    }
    jobs.forEach(j -> j.source().start());
  }

  public ShardCoordinator coordinator() {
    return coordinator;
  }

  /** Every job's targets together. */
  public TargetSource source() {
    return source;
  }

  public List<Job> jobs() {
    return jobs;
  }

  public RemoteWriteQueue output() {
    return output;
  }

  /** One scheduler per job, in the jobs' order. */
  public List<ScrapeScheduler> schedulers() {
    return List.copyOf(schedulers);
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
    // slots before the hand-off may still be scraping: let them deliver, within one scrape timeout
    long longestTimeout =
        jobs.stream().mapToLong(j -> j.scrape().timeout().toMillis()).max().orElse(0);
    long waitEnd = System.nanoTime() + Math.min(longestTimeout, remaining(end)) * 1_000_000;
    try {
      for (ScrapeScheduler s : schedulers) {
        if (!s.awaitIdle(Math.max(0, (waitEnd - System.nanoTime()) / 1_000_000))) {
          LOG.warn("member {}: scrapes still in flight at shutdown", coordinator.view().self());
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    schedulers.forEach(ScrapeScheduler::close);
    jobs.forEach(j -> j.source().close());
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

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
