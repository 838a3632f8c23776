package io.scrapeshard.bench.live;

import io.scrapeshard.worker.cli.Main;
import io.scrapeshard.worker.demo.CountingReceiver;
import io.scrapeshard.worker.demo.LocalWorkerConfig;
import io.scrapeshard.worker.demo.SyntheticTargets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code compare-agent}: scrape-shard's worker and Debian's Prometheus in agent mode scrape the
 * same synthetic targets and remote-write to the same counting receiver, one after the other;
 * reports CPU seconds and peak RSS per million samples delivered, side by side. Both run as
 * separate processes; targets, receiver and ZooKeeper live in this (unmeasured) process.
 */
@Command(
    name = "compare-agent",
    mixinStandardHelpOptions = true,
    description =
        "Compare a scrape-shard worker with Prometheus in agent mode on the same targets.")
public final class CompareAgentCommand implements Callable<Integer> {

  @Option(
      names = "--targets",
      defaultValue = "100",
      description = "Synthetic targets (default ${DEFAULT-VALUE}).")
  int targets;

  @Option(
      names = "--series",
      defaultValue = "1000",
      description = "Series per target (default ${DEFAULT-VALUE}).")
  int series;

  @Option(
      names = "--interval-ms",
      defaultValue = "5000",
      description = "Scrape interval (default ${DEFAULT-VALUE}).")
  long intervalMs;

  @Option(
      names = "--warmup-s",
      defaultValue = "30",
      description = "Seconds before measuring (default ${DEFAULT-VALUE}).")
  long warmupS;

  @Option(
      names = "--duration-s",
      defaultValue = "60",
      description = "Seconds measured (default ${DEFAULT-VALUE}).")
  long durationS;

  @Option(
      names = "--prometheus",
      defaultValue = "/usr/bin/prometheus",
      description = "Prometheus binary.")
  Path prometheus;

  @Option(
      names = "--worker-jvm-arg",
      description = "Extra JVM argument for the worker (repeatable), such as a JFR recording.")
  List<String> workerJvmArgs = new ArrayList<>();

  record Measurement(
      String system, long samples, double cpuSeconds, double peakRssMib, double seconds) {
    double cpuPerMillion() {
      return cpuSeconds / (samples / 1e6);
    }

    double rssPerMillionPerSecond() {
      return peakRssMib / (samples / seconds / 1e6);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isExecutable(prometheus)) {
      System.err.println(
          "error: " + prometheus + " not found; install it with: apt-get install -y prometheus");
      return 2;
    }
    Path dir = Files.createTempDirectory("compare-agent");
    try (TestingServer zk = new TestingServer(true);
        CountingReceiver receiver = new CountingReceiver();
        SyntheticTargets targetServer = new SyntheticTargets(targets, payload())) {
      Path sd = targetServer.writeFileSd(dir.resolve("targets.json"), "bench");
      List<Measurement> results = new ArrayList<>();
      results.add(
          measure(
              "scrape-shard",
              workerCommand(dir, zk.getConnectString(), sd, receiver.url("worker")),
              "worker",
              receiver,
              dir));
      results.add(
          measure(
              "prometheus-agent",
              agentCommand(dir, sd, receiver.url("agent")),
              "agent",
              receiver,
              dir));
      print(results);
    }
    return 0;
  }

  private byte[] payload() {
    StringBuilder b = new StringBuilder("# TYPE app_requests_total counter\n");
    for (int i = 0; i < series; i++) {
      b.append("app_requests_total{handler=\"/api/")
          .append(i % 50)
          .append("\",code=\"")
          .append(200 + i % 3)
          .append("\",series=\"")
          .append(i)
          .append("\"} ")
          .append(i * 3)
          .append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The product itself: {@code scrape-shard run} with a configuration file (API on a free port).
   */
  private List<String> workerCommand(Path dir, String zk, Path sd, String url) throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("worker.yaml"),
            new LocalWorkerConfig(
                    zk,
                    "scrape-shard-0",
                    0,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1),
                    "bench",
                    Duration.ofMillis(intervalMs),
                    sd,
                    url)
                .yaml());
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar =
        Path.of(
                CompareAgentCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .getPath())
            .toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
    command.addAll(workerJvmArgs);
    command.addAll(List.of("-cp", jar, Main.class.getName(), "run", "--config", config.toString()));
    return command;
  }

  private List<String> agentCommand(Path dir, Path sd, String url) throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("agent.yml"),
            String.format(
                Locale.ROOT,
                """
        global:
          scrape_interval: %dms
          scrape_timeout: %dms
        scrape_configs:
          - job_name: bench
            file_sd_configs:
              - files: ['%s']
        remote_write:
          - url: %s
        """,
                intervalMs,
                Math.min(intervalMs, 10_000),
                sd,
                url));
    return List.of(
        prometheus.toString(),
        "--enable-feature=agent",
        "--config.file=" + config,
        "--storage.agent.path=" + dir.resolve("agent-data"),
        "--web.listen-address=127.0.0.1:0");
  }

  private Measurement measure(
      String system, List<String> command, String name, CountingReceiver receiver, Path dir)
      throws IOException, InterruptedException {
    System.err.println(
        "running " + system + " (" + warmupS + " s warm-up, " + durationS + " s measured)");
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    try {
      TimeUnit.SECONDS.sleep(warmupS); // a benchmark phase, not synchronisation
      double cpu0 = ProcStats.cpuSeconds(p.pid());
      long samples0 = receiver.samples(name);
      long t0 = System.nanoTime();
      TimeUnit.SECONDS.sleep(durationS);
      double cpu1 = ProcStats.cpuSeconds(p.pid());
      long samples1 = receiver.samples(name);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Measurement(
          system, samples1 - samples0, cpu1 - cpu0, ProcStats.peakRssMib(p.pid()), seconds);
    } finally {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private void print(List<Measurement> results) {
    System.out.printf(
        Locale.ROOT,
        "targets=%d series/target=%d interval=%dms measured=%ds cores=%d%n%n",
        targets,
        series,
        intervalMs,
        durationS,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        Locale.ROOT,
        "%-18s %12s %12s %10s %16s %14s%n",
        "system",
        "samples",
        "samples/s",
        "cpu_s",
        "cpu_s/1M_samples",
        "peak_rss_MiB");
    for (Measurement m : results) {
      System.out.printf(
          Locale.ROOT,
          "%-18s %12d %12.0f %10.2f %16.3f %14.1f%n",
          m.system(),
          m.samples(),
          m.samples() / m.seconds(),
          m.cpuSeconds(),
          m.cpuPerMillion(),
          m.peakRssMib());
    }
  }
}
