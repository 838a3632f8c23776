package io.scrapeshard.worker.cli;

import io.scrapeshard.worker.demo.Demo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The self-contained demo: embedded ZooKeeper, a few workers, synthetic targets, a sink. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run a whole cluster in this process: a real embedded ZooKeeper, --workers workers with"
          + " REST APIs on --api-port, --api-port+1, ..., about --targets synthetic targets and a"
          + " remote-write sink that counts samples. Prints one summary line every few seconds.",
      "Type 'stop N' or 'start N' (and Enter) to stop or start worker N; Ctrl-C leaves cleanly."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--workers",
      defaultValue = "3",
      description = "Workers (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--targets",
      defaultValue = "300",
      description = "Targets (default ${DEFAULT-VALUE}).")
  int targets;

  @Option(
      names = "--api-port",
      defaultValue = "18080",
      description = "REST API port of worker 0; worker i uses this + i (default ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(
      names = "--interval",
      defaultValue = "15",
      description = "Scrape interval in seconds (default ${DEFAULT-VALUE}).")
  int intervalSeconds;

  @Option(
      names = "--churn",
      description = "Stop and restart the last worker every 30 s to show rebalancing.")
  boolean churn;

  @Option(
      names = "--summary-every",
      defaultValue = "5",
      description = "Seconds between summary lines (default ${DEFAULT-VALUE}).")
  int summaryEvery;

  @Override
  public Integer call() throws InterruptedException {
    Demo.Options options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    PrintStream out = System.out;
    Demo demo;
    try {
      demo = new Demo(options);
    } catch (IllegalStateException e) {
      System.err.println("the demo cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch done = new CountDownLatch(1);
    // two threads: a churn stop (a graceful leave) takes seconds and must not hold up the summary
    ScheduledExecutorService timer =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "demo-timer");
              t.setDaemon(true);
              return t;
            });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("stopping: every worker leaves gracefully ...");
                  timer.shutdownNow();
                  demo.close();
                  out.println("stopped.");
                  done.countDown();
                },
                "demo-shutdown"));
    banner(demo, out);
    schedule(demo, timer, out);
    Thread commands = new Thread(() -> readCommands(demo, out), "demo-commands");
    commands.setDaemon(true);
    commands.start();
    done.await();
    return 0;
  }

  private Demo.Options options() {
    if (intervalSeconds < 1 || intervalSeconds > 3600) {
      throw new IllegalArgumentException(
          "--interval must be 1-3600 seconds, got " + intervalSeconds);
    }
    if (summaryEvery < 1) {
      throw new IllegalArgumentException("--summary-every must be >= 1, got " + summaryEvery);
    }
    return new Demo.Options(
        workers,
        targets,
        apiPort,
        Duration.ofSeconds(intervalSeconds),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2));
  }

  private void banner(Demo demo, PrintStream out) {
    out.printf(
        "scrape-shard demo: %d workers, %d targets of %d samples each, scraped every %ds%n",
        workers, targets, demo.samplesPerScrape(), intervalSeconds);
    for (int i = 0; i < workers; i++) {
      String url = demo.apiUrl(i).orElseThrow();
      out.println(
          "  worker-" + i + ": " + url + "/api/v1/assignments?summary=true   " + url + "/metrics");
    }
    out.println("  OpenTelemetry Target Allocator API: " + demo.apiUrl(0).orElseThrow() + "/jobs");
    out.println("type 'stop N' / 'start N' to stop or start worker N; Ctrl-C to quit");
  }

  /** The summary line every few seconds and, with --churn, a stop or start every 30 s. */
  private void schedule(Demo demo, ScheduledExecutorService timer, PrintStream out) {
    AtomicLong lastSamples = new AtomicLong();
    AtomicLong lastNanos = new AtomicLong(System.nanoTime());
    timer.scheduleAtFixedRate(
        () -> out.println(summary(demo, lastSamples, lastNanos)),
        summaryEvery,
        summaryEvery,
        TimeUnit.SECONDS);
    if (!churn) {
      return;
    }
    int victim = workers - 1;
    timer.scheduleAtFixedRate(
        () -> {
          if (demo.running(victim)) {
            out.println("churn: stopping worker-" + victim);
            demo.stopWorker(victim);
          } else {
            out.println("churn: starting worker-" + victim);
            demo.startWorker(victim);
          }
        },
        30,
        30,
        TimeUnit.SECONDS);
  }

  private static String summary(Demo demo, AtomicLong lastSamples, AtomicLong lastNanos) {
    long samples = demo.samplesReceived();
    long now = System.nanoTime();
    double seconds = (now - lastNanos.getAndSet(now)) / 1e9;
    long rate = Math.round((samples - lastSamples.getAndSet(samples)) / seconds);
    String time = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return demo.status()
        .map(
            s ->
                String.format(
                    "%s epoch %d | %d members | %d targets: %s | %d samples/s | %d received",
                    time,
                    s.epoch(),
                    s.targetsPerMember().size(),
                    s.totalTargets(),
                    s.targetsPerMember().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")),
                    rate,
                    samples))
        .orElse(time + " waiting for the first epoch ...");
  }

  private static void readCommands(Demo demo, PrintStream out) {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split("\\s+");
        try {
          if (words.length == 2 && words[0].equals("stop")) {
            demo.stopWorker(Integer.parseInt(words[1]));
            out.println("worker-" + words[1] + " stopped");
          } else if (words.length == 2 && words[0].equals("start")) {
            demo.startWorker(Integer.parseInt(words[1]));
            out.println("worker-" + words[1] + " started");
          } else if (!line.isBlank()) {
            out.println("commands: stop N, start N (N from 0 to " + (demo.workers() - 1) + ")");
          }
        } catch (IllegalArgumentException e) {
          out.println(e.getMessage());
        }
      }
    } catch (java.io.IOException e) {
      // no console: the demo runs without commands
    }
  }
}
