package io.scrapeshard.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.worker.Worker;
import io.scrapeshard.worker.discovery.FileTargetSource;
import io.scrapeshard.worker.exposition.Sample;
import io.scrapeshard.worker.exposition.TextParser;
import io.scrapeshard.worker.remotewrite.RemoteWriteOptions;
import io.scrapeshard.worker.remotewrite.RemoteWriteQueue;
import io.scrapeshard.worker.scrape.HttpScraper;
import io.scrapeshard.worker.scrape.ScrapeJob;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, against Debian's real Prometheus (remote-write receiver) and node-exporter: a worker
 * with file_sd discovery scrapes node-exporter and a synthetic target and remote-writes into
 * Prometheus; Prometheus' query API shows what arrived. Run with {@code mvn -Pe2e verify}.
 */
class PrometheusE2E {

  static final long INTERVAL_MS = 2_000;
  static final int SYNTHETIC_SERIES = 3_000;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  final List<AutoCloseable> closeables = new ArrayList<>();
  int prometheusPort;
  ExternalProcess prometheus;
  Worker worker;

  @BeforeEach
  void startEverything() throws Exception {
    Path promBinary = Binaries.require("prometheus");
    Path exporterBinary = Binaries.require("prometheus-node-exporter");
    int exporterPort = freePort();
    closeables.add(
        new ExternalProcess(
                "node-exporter",
                List.of(
                    exporterBinary.toString(), "--web.listen-address=127.0.0.1:" + exporterPort),
                dir.resolve("node-exporter.log"))
            .awaitReady("http://127.0.0.1:" + exporterPort + "/metrics", Duration.ofSeconds(20)));
    int syntheticPort = startSyntheticTarget();
    prometheusPort = freePort();
    Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    prometheus = startPrometheus(promBinary);

    TestingServer zk = new TestingServer(true);
    closeables.add(zk);
    Path sd =
        Files.writeString(
            dir.resolve("targets.json"),
            """
        [{"targets": ["127.0.0.1:%d"], "labels": {"job": "node"}},
         {"targets": ["127.0.0.1:%d"], "labels": {"job": "synthetic"}}]
        """
                .formatted(exporterPort, syntheticPort));
    ShardCoordinator coordinator =
        ShardCoordinator.builder()
            .connectString(zk.getConnectString())
            .memberId("scrape-shard-0")
            .handoffDelay(Duration.ofSeconds(1))
            .sessionTimeout(Duration.ofSeconds(5))
            .build();
    RemoteWriteQueue queue =
        new RemoteWriteQueue(
            RemoteWriteOptions.builder(
                    URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/write"))
                .timeout(Duration.ofSeconds(5))
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(2))
                .build());
    worker =
        new Worker(
            coordinator,
            new FileTargetSource(List.of(sd), "file", Duration.ofSeconds(1), Clock.systemUTC()),
            queue,
            new ScrapeJob(
                "e2e", Duration.ofMillis(INTERVAL_MS), Duration.ofMillis(1_500), false, 0),
            HttpScraper.Options.defaults(),
            Clock.systemUTC());
    worker.start();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (worker != null) {
      worker.stop(Duration.ofSeconds(10));
    }
    if (prometheus != null) {
      prometheus.close();
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private ExternalProcess startPrometheus(Path binary) throws IOException {
    ExternalProcess p =
        new ExternalProcess(
            "prometheus",
            List.of(
                binary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--web.enable-remote-write-receiver"),
            dir.resolve("prometheus-" + System.nanoTime() + ".log"));
    return p.awaitReady("http://127.0.0.1:" + prometheusPort + "/-/ready", Duration.ofSeconds(60));
  }

  private int startSyntheticTarget() throws IOException {
    StringBuilder payload = new StringBuilder("# TYPE synthetic_value gauge\n");
    for (int i = 0; i < SYNTHETIC_SERIES; i++) {
      payload
          .append("synthetic_value{idx=\"")
          .append(i)
          .append("\",group=\"g")
          .append(i % 20)
          .append("\"} ")
          .append(i * 0.5)
          .append('\n');
    }
    byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        e -> {
          e.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          e.sendResponseHeaders(200, body.length);
          try (OutputStream os = e.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    closeables.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  @Test
  void everySeriesArrivesOncePerIntervalThroughAReceiverOutage() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> query("count(up == 1)").path(0).path("value").path(1).asText().equals("2"));
    long firstRound = System.currentTimeMillis();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                System.currentTimeMillis() - firstRound > 20_000
                    && worker.output().stats().queued() == 0);
    assertThat(counters("out_of_order", "duplicate"))
        .as("Prometheus' own out-of-order and duplicate counters")
        .allMatch(v -> v == 0);

    prometheus.close(); // the receiver goes away for 30 s
    long downAt = System.currentTimeMillis();
    await()
        .during(Duration.ofSeconds(30))
        .atMost(Duration.ofSeconds(31))
        .until(() -> worker.output().stats().droppedQueueFull() == 0);
    assertThat(worker.output().stats().queued())
        .as("samples queued while the receiver is down")
        .isPositive();
    prometheus = startPrometheus(Binaries.require("prometheus"));
    await().atMost(Duration.ofSeconds(60)).until(() -> worker.output().stats().queued() == 0);
    long upAgain = System.currentTimeMillis();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> System.currentTimeMillis() - upAgain > 3 * INTERVAL_MS);

    var stats = worker.output().stats();
    System.out.println(
        "e2e remote_write sent="
            + stats.sent()
            + " retries="
            + stats.retries()
            + " dropped="
            + (stats.droppedQueueFull() + stats.droppedShutdown())
            + " rejected="
            + stats.rejected()
            + " outage_ms="
            + (upAgain - downAt));
    assertThat(stats.droppedQueueFull() + stats.droppedShutdown()).isZero();
    assertThat(stats.rejected()).isZero();
    assertThat(counters("out_of_order", "duplicate")).allMatch(v -> v == 0);

    JsonNode up = query("up");
    assertThat(up).hasSize(2);
    for (JsonNode series : up) {
      assertThat(series.path("metric").path("job").asText()).isIn("node", "synthetic");
      assertThat(series.path("metric").path("instance").asText()).startsWith("127.0.0.1:");
      assertThat(series.path("value").path(1).asText()).isEqualTo("1");
    }
    assertThat(query("count({job=\"node\"})").path(0).path("value").path(1).asInt())
        .isGreaterThan(100);
    assertThat(query("count(synthetic_value)").path(0).path("value").path(1).asInt())
        .isEqualTo(SYNTHETIC_SERIES);

    long windowSeconds = (System.currentTimeMillis() - firstRound) / 1000;
    // a scrape that fails (up 0) makes its series stale at that slot, as in Prometheus: those slots
    // may lack samples; every other slot must have exactly one
    java.util.Set<Double> failedSlots = new java.util.HashSet<>();
    for (JsonNode series : query("up[" + windowSeconds + "s]")) {
      for (JsonNode v : series.path("values")) {
        if (v.get(1).asText().equals("0")) {
          failedSlots.add(v.get(0).asDouble());
        }
      }
    }
    System.out.println("e2e failed_scrapes=" + failedSlots.size());
    assertThat(failedSlots).as("failed scrapes").hasSizeLessThanOrEqualTo(2);
    for (String selector :
        List.of(
            "up",
            "synthetic_value{idx=\"7\"}",
            "synthetic_value{idx=\"2999\"}",
            "scrape_samples_scraped")) {
      for (JsonNode series : query(selector + "[" + windowSeconds + "s]")) {
        JsonNode values = series.path("values");
        assertThat(values.size())
            .as("samples of %s", series.path("metric"))
            .isGreaterThanOrEqualTo(
                (int) (windowSeconds * 1000 / INTERVAL_MS) - 2 - failedSlots.size());
        for (int i = 1; i < values.size(); i++) {
          double from = values.get(i - 1).get(0).asDouble();
          double gap = values.get(i).get(0).asDouble() - from;
          double step = INTERVAL_MS / 1000.0;
          if (gap > step && failedSlots.contains(from + step) && gap == 2 * step) {
            continue; // the one slot whose scrape failed
          }
          assertThat(gap)
              .as(
                  "%s: one sample per interval, no gap, no duplicate (through the outage)",
                  series.path("metric"))
              .isEqualTo(step);
        }
      }
    }
  }

  private JsonNode query(String promql) throws IOException, InterruptedException {
    String url =
        "http://127.0.0.1:"
            + prometheusPort
            + "/api/v1/query?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("data").path("result");
  }

  /** Values of Prometheus' own counters whose names contain any of {@code words}. */
  private List<Double> counters(String... words) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    List<Double> out = new ArrayList<>();
    for (Sample s :
        TextParser.parse(r.body(), r.body().length, TextParser.Format.PROMETHEUS_TEXT)) {
      for (String w : words) {
        if (s.name().contains(w) && s.name().startsWith("prometheus_tsdb")) {
          out.add(s.value());
        }
      }
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
