package io.scrapeshard.bench.live;

import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.worker.Worker;
import io.scrapeshard.worker.discovery.FileTargetSource;
import io.scrapeshard.worker.remotewrite.RemoteWriteOptions;
import io.scrapeshard.worker.remotewrite.RemoteWriteQueue;
import io.scrapeshard.worker.scrape.HttpScraper;
import io.scrapeshard.worker.scrape.ScrapeJob;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One worker as its own process, for benchmarks that measure its CPU and memory from outside:
 * {@code WorkerMain <zk connect> <member id> <file_sd file> <remote write url> <interval ms>}. Runs
 * until SIGTERM, then leaves gracefully.
 */
public final class WorkerMain {

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 5) {
      System.err.println(
          "usage: WorkerMain <zk connect> <member id> <file_sd file> <remote write url> <interval ms>");
      System.exit(2);
    }
    long interval = Long.parseLong(args[4]);
    ShardCoordinator coordinator =
        ShardCoordinator.builder()
            .connectString(args[0])
            .memberId(args[1])
            .handoffDelay(Duration.ofSeconds(1))
            .build();
    RemoteWriteQueue queue =
        new RemoteWriteQueue(RemoteWriteOptions.builder(URI.create(args[3])).build());
    Worker worker =
        new Worker(
            coordinator,
            new FileTargetSource(
                List.of(Path.of(args[2])), "bench", Duration.ofSeconds(5), Clock.systemUTC()),
            queue,
            new ScrapeJob(
                "bench",
                Duration.ofMillis(interval),
                Duration.ofMillis(Math.min(interval, 10_000)),
                false,
                0),
            HttpScraper.Options.defaults(),
            Clock.systemUTC());
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.stop(Duration.ofSeconds(10));
                  done.countDown();
                }));
    worker.start();
    done.await();
  }
}
