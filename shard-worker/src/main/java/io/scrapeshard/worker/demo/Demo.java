package io.scrapeshard.worker.demo;

import io.scrapeshard.coordinator.Epoch;
import io.scrapeshard.coordinator.EpochList;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import io.scrapeshard.worker.ScrapeShardService;
import io.scrapeshard.worker.config.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the {@code demo} command runs in one process: a real ZooKeeper server, {@code workers}
 * scrape-shard workers (member ids {@code worker-0}, ...; REST APIs on {@code apiPort}, {@code
 * apiPort + 1}, ...), synthetic targets listed in a file_sd file, and a remote-write sink that
 * counts what the workers deliver. Each worker is configured through the same YAML configuration
 * code as {@code run}.
 */
public final class Demo implements AutoCloseable {

  /** The demo's knobs. */
  public record Options(
      int workers,
      int targets,
      int apiPort,
      Duration interval,
      Duration sessionTimeout,
      Duration handoffDelay) {
    public Options {
      if (workers < 1 || workers > 50) {
        throw new IllegalArgumentException("--workers must be 1-50, got " + workers);
      }
      if (targets < 1 || targets > 100_000) {
        throw new IllegalArgumentException("--targets must be 1-100000, got " + targets);
      }
      if (apiPort < 0 || apiPort + workers > 65_535 || (apiPort > 0 && apiPort < 1024)) {
        throw new IllegalArgumentException(
            "--api-port must leave room for "
                + workers
                + " ports in 1024-65535 (or be 0 for free ports), got "
                + apiPort);
      }
    }
  }

  private static final String JOB = "demo";

  private final Options options;
  private final EmbeddedZooKeeper zooKeeper;
  private final SyntheticTargets targets;
  private final CountingReceiver sink;
  private final Path dir;
  private final Path fileSd;
  private final ScrapeShardService[] services;

  /** Starts ZooKeeper, the targets, the sink and every worker. */
  public Demo(Options options) {
    this.options = options;
    this.services = new ScrapeShardService[options.workers()];
    this.zooKeeper = new EmbeddedZooKeeper(500);
    try {
      this.targets = new SyntheticTargets(options.targets());
      this.sink = new CountingReceiver();
      this.dir = Files.createTempDirectory("scrape-shard-demo");
      this.fileSd = targets.writeFileSd(dir.resolve("targets.json"), JOB);
    } catch (IOException e) {
      zooKeeper.close();
      throw new UncheckedIOException("cannot start the demo's targets", e);
    }
    try {
      for (int i = 0; i < options.workers(); i++) {
        startWorker(i);
      }
    } catch (RuntimeException e) {
      close(); // what started leaves again; the caller gets the reason
      throw e;
    }
  }

  private WorkerConfig config(int i) {
    String yaml =
        new LocalWorkerConfig(
                zooKeeper.connectString(),
                "worker-" + i,
                options.apiPort() == 0 ? 0 : options.apiPort() + i,
                options.sessionTimeout(),
                options.handoffDelay(),
                JOB,
                options.interval(),
                fileSd,
                sink.url(JOB))
            .yaml();
    return WorkerConfig.parse("demo worker-" + i, yaml, Map.of(), Map.of(), () -> "demo");
  }

  /** Starts worker {@code i} (again); no effect when it runs. */
  public synchronized void startWorker(int i) {
    check(i);
    if (services[i] != null) {
      return;
    }
    ScrapeShardService s = new ScrapeShardService(config(i), Clock.systemUTC(), () -> null);
    try {
      s.start();
    } catch (RuntimeException e) {
      s.stop();
      throw e;
    }
    services[i] = s;
  }

  /** Stops worker {@code i} with a graceful leave; no effect when it is stopped. */
  public void stopWorker(int i) {
    ScrapeShardService s;
    synchronized (this) {
      check(i);
      s = services[i];
      services[i] = null;
    }
    if (s != null) {
      s.stop();
    }
  }

  private void check(int i) {
    if (i < 0 || i >= services.length) {
      throw new IllegalArgumentException(
          "no worker " + i + "; workers are 0-" + (services.length - 1));
    }
  }

  public synchronized boolean running(int i) {
    check(i);
    return services[i] != null;
  }

  /** The REST API base URL of worker {@code i}, if it runs. */
  public synchronized Optional<String> apiUrl(int i) {
    check(i);
    return Optional.ofNullable(services[i]).map(s -> "http://127.0.0.1:" + s.apiPort());
  }

  public int workers() {
    return services.length;
  }

  /** Samples the sink has received. */
  public long samplesReceived() {
    return sink.samples(JOB);
  }

  public long samplesPerScrape() {
    return targets.samplesPerScrape();
  }

  /** What one running worker sees now: the epoch in force and targets per member. */
  public record Status(long epoch, Map<String, Integer> targetsPerMember, int totalTargets) {}

  /** The view of the first running worker, or empty when none runs or no epoch is in force. */
  public Optional<Status> status() {
    ScrapeShardService s = null;
    synchronized (this) {
      for (ScrapeShardService candidate : services) {
        if (candidate != null) {
          s = candidate;
          break;
        }
      }
    }
    if (s == null) {
      return Optional.empty();
    }
    long now = System.currentTimeMillis();
    EpochList epochs = s.worker().coordinator().view().epochs();
    Optional<Epoch> active = epochs.activeAt(now);
    if (active.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Integer> counts = new TreeMap<>();
    active.get().members().stream().map(Member::id).forEach(id -> counts.put(id, 0));
    Set<TargetKey> keys = s.worker().source().snapshot().targets().keySet();
    for (TargetKey k : keys) {
      epochs.ownerOf(k, now).ifPresent(o -> counts.merge(o.id(), 1, Integer::sum));
    }
    return Optional.of(new Status(active.get().number(), counts, keys.size()));
  }

  @Override
  public void close() {
    List<Thread> stopping = new ArrayList<>();
    for (int i = 0; i < services.length; i++) {
      int n = i;
      Thread t = new Thread(() -> stopWorker(n), "demo-stop-" + i);
      t.start();
      stopping.add(t);
    }
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sink.close();
    targets.close();
    zooKeeper.close();
    try {
      Files.deleteIfExists(fileSd);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary file left behind is harmless
    }
  }
}
