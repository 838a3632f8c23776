package io.scrapeshard.worker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapeshard.coordinator.EpochList;
import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.hashing.TargetKey;
import io.scrapeshard.worker.discovery.InvalidTargetReason;
import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.scrapeshard.worker.discovery.TargetSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API over real HTTP (port 0), a real coordinator on a real ZooKeeper. */
class ShardApiIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  TestingServer zk;
  ShardCoordinator coordinator;
  Vertx vertx;
  HttpServer server;
  final FixedTargets targets = new FixedTargets();

  /** A fixed set of pod targets. */
  static final class FixedTargets implements TargetSource {
    final Map<TargetKey, ScrapeTarget> map = new HashMap<>();

    FixedTargets() {
      for (int i = 0; i < 30; i++) {
        TargetKey key = TargetKey.ofPod("shop", "web-" + i, 8080, i == 0 ? "/stats" : "/metrics");
        map.put(
            key,
            new ScrapeTarget(
                key,
                "http",
                "10.0.0." + (i + 1) + ":8080",
                i == 0 ? "/stats" : "/metrics",
                i == 0 ? Map.of("format", List.of("prometheus")) : Map.of(),
                Map.of("job", "kubernetes-pods", "pod", "web-" + i),
                "node-a"));
      }
    }

    @Override
    public void start() {}

    @Override
    public Snapshot snapshot() {
      return new Snapshot(map, true, 1);
    }

    @Override
    public void addListener(Consumer<Snapshot> listener) {}

    @Override
    public Map<InvalidTargetReason, Long> invalidCounts() {
      return Map.of();
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
    coordinator =
        ShardCoordinator.builder()
            .connectString(zk.getConnectString())
            .memberId("scrape-shard-0")
            .address("127.0.0.1:1")
            .handoffDelay(Duration.ofMillis(500))
            .sessionTimeout(Duration.ofSeconds(5))
            .build();
    coordinator.start();
    vertx = Vertx.vertx();
    server = new ShardApi(coordinator, targets, Clock.systemUTC()).listen(vertx, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws Exception {
    server.close().await();
    vertx.close().await();
    coordinator.close();
    zk.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path, int status) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as("%s -> %s", path, r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    return JSON.readTree(r.body());
  }

  private void joined() {
    coordinator.join();
    await().atMost(Duration.ofSeconds(15)).until(coordinator::ready);
  }

  @Test
  void livenessNeverWaitsForZooKeeperAndReadinessWaitsForMembership() throws Exception {
    assertThat(get("/livez").statusCode()).isEqualTo(200);
    JsonNode notReady = json("/readyz", 503);
    assertThat(notReady.path("waitingFor").toString()).contains("not an active member yet");

    joined();

    assertThat(json("/readyz", 200).path("ready").asBoolean()).isTrue();
  }

  @Test
  void assignmentsListEveryTargetOnceWithTheEpoch() throws Exception {
    joined();

    JsonNode all = json("/api/v1/assignments", 200);
    JsonNode summary = json("/api/v1/assignments?summary=true", 200);
    JsonNode one = json("/api/v1/assignments?member=scrape-shard-0", 200);

    assertThat(all.path("totalTargets").asInt()).isEqualTo(30);
    assertThat(all.path("epoch").asLong())
        .isEqualTo(coordinator.view().epochs().newest().orElseThrow().number());
    assertThat(all.path("activeSince").asText()).endsWith("Z");
    assertThat(all.path("members").get(0).path("targetCount").asInt()).isEqualTo(30);
    assertThat(all.path("members").get(0).path("targets")).hasSize(30);
    assertThat(summary.path("members").get(0).has("targets")).isFalse();
    assertThat(one.path("members")).hasSize(1);
  }

  @Test
  void badParametersAre400AndUnknownThings404() throws Exception {
    joined();

    assertThat(json("/api/v1/assignments?summary=maybe", 400).path("error").asText())
        .isEqualTo("summary must be true or false, got 'maybe'");
    assertThat(json("/api/v1/assignments?member=ghost", 404).path("error").asText())
        .startsWith("unknown member 'ghost'");
    assertThat(json("/api/v1/targets", 400).path("error").asText())
        .startsWith("the member parameter is required");
    assertThat(json("/api/v1/targets?member=ghost", 404).path("error").asText())
        .isEqualTo("unknown member 'ghost'");
    assertThat(json("/api/v1/assignments/shop/nope", 404).path("error").asText())
        .isEqualTo("no target for pod shop/nope");
    assertThat(json("/api/v1/nothing", 404).path("error").asText())
        .isEqualTo("no such endpoint: /api/v1/nothing");
  }

  @Test
  void aPodShowsItsOwnerAndRanking() throws Exception {
    joined();

    JsonNode pod = json("/api/v1/assignments/shop/web-0", 200);

    JsonNode target = pod.path("targets").get(0);
    assertThat(target.path("key").asText()).isEqualTo("shop/web-0:8080/stats");
    assertThat(target.path("url").asText())
        .isEqualTo("http://10.0.0.1:8080/stats?format=prometheus");
    assertThat(target.path("owner").asText()).isEqualTo("scrape-shard-0");
    assertThat(target.path("ranking").get(0).asText()).isEqualTo("scrape-shard-0");
  }

  @Test
  void targetsAreAMembersShardInHttpSdFormat() throws Exception {
    joined();

    JsonNode sd = json("/api/v1/targets?member=scrape-shard-0", 200);

    assertThat(sd).hasSize(30);
    JsonNode first = sd.get(0);
    assertThat(first.path("targets").get(0).asText()).isEqualTo("10.0.0.1:8080");
    assertThat(first.path("labels").path("__metrics_path__").asText()).isEqualTo("/stats");
    assertThat(first.path("labels").path("__param_format").asText()).isEqualTo("prometheus");
    assertThat(first.path("labels").path("job").asText()).isEqualTo("kubernetes-pods");
  }

  @Test
  void aPeerReadsTheEpochsOverHttpAndAnUnreachableOneIsEmpty() {
    joined();
    HttpPeerEpochs peers = new HttpPeerEpochs(Duration.ofSeconds(1));

    assertThat(
            peers
                .fetch("scrape-shard-0", "127.0.0.1:" + server.actualPort())
                .orElseThrow()
                .epochs())
        .isEqualTo(coordinator.view().epochs().epochs());
    assertThat(peers.fetch("gone", "127.0.0.1:1")).isEmpty();
    assertThat(peers.fetch("blank", "")).isEmpty();
  }

  @Test
  void selfMetricsAreExposedInTheTextFormat() throws Exception {
    joined();

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    byte[] body = r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Map<String, Double> values = new HashMap<>();
    for (var s :
        io.scrapeshard.worker.exposition.TextParser.parse(
            body,
            body.length,
            io.scrapeshard.worker.exposition.TextParser.Format.PROMETHEUS_TEXT)) {
      String key = s.name() + (s.labels().length == 0 ? "" : java.util.Arrays.toString(s.labels()));
      values.put(key, s.value());
    }
    assertThat(values)
        .containsEntry("scrape_shard_ready", 1.0)
        .containsEntry("scrape_shard_members", 1.0)
        .containsEntry("scrape_shard_targets_discovered", 30.0)
        .containsEntry("scrape_shard_targets_owned", 30.0)
        .containsEntry("scrape_shard_zookeeper_connection[state, connected]", 1.0)
        .containsEntry("scrape_shard_invalid_targets_total[reason, port_invalid]", 0.0);
    assertThat(values.get("scrape_shard_epoch"))
        .isEqualTo((double) coordinator.view().epochs().newest().orElseThrow().number());
  }

  @Test
  void epochsAndMembersAreServed() throws Exception {
    joined();

    HttpResponse<String> epochs = get("/api/v1/epochs");
    JsonNode members = json("/api/v1/members", 200);

    assertThat(
            EpochList.fromJson(epochs.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .epochs())
        .isEqualTo(coordinator.view().epochs().epochs());
    assertThat(members.get(0).path("id").asText()).isEqualTo("scrape-shard-0");
    assertThat(members.get(0).path("state").asText()).isEqualTo("active");
  }

  @Test
  void targetAllocatorJobsAndScrapeConfigsHaveTheAllocatorsShapes() throws Exception {
    joined();

    JsonNode jobs = json("/jobs", 200);
    assertThat(jobs)
        .isEqualTo(
            JSON.readTree("{\"kubernetes-pods\": {\"_link\": \"/jobs/kubernetes-pods/targets\"}}"));

    JsonNode configs = json("/scrape_configs", 200);
    JsonNode c = configs.path("kubernetes-pods");
    assertThat(c.path("job_name").asText()).isEqualTo("kubernetes-pods");
    assertThat(c.path("scrape_interval").asText()).isEqualTo("30s");
    assertThat(c.path("scrape_timeout").asText()).isEqualTo("10s");
    assertThat(c.path("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(c.path("scheme").asText()).isEqualTo("http");
    assertThat(c.path("honor_labels").asBoolean(true)).isFalse();
    assertThat(c.path("relabel_configs").isArray()).isTrue();
  }

  @Test
  void targetAllocatorTargetsPerCollectorAndForOneCollector() throws Exception {
    joined();

    JsonNode all = json("/jobs/kubernetes-pods/targets", 200);
    assertThat(all.size()).isEqualTo(1);
    JsonNode mine = all.path("scrape-shard-0");
    assertThat(mine.path("_link").asText())
        .isEqualTo("/jobs/kubernetes-pods/targets?collector_id=scrape-shard-0");
    assertThat(mine.path("targets").size()).isEqualTo(30);
    assertThat(mine.path("targets").get(0).has("Targets")).isTrue();
    assertThat(mine.path("targets").get(0).has("Labels")).isTrue();

    JsonNode one = json("/jobs/kubernetes-pods/targets?collector_id=scrape-shard-0", 200);
    assertThat(one.isArray()).isTrue();
    assertThat(one.size()).isEqualTo(30);
    JsonNode stats = null;
    for (JsonNode g : one) {
      assertThat(g.path("targets").size()).isEqualTo(1);
      if (g.path("labels").path("pod").asText().equals("web-0")) {
        stats = g;
      }
    }
    assertThat(stats).isNotNull();
    assertThat(stats.path("targets").get(0).asText()).isEqualTo("10.0.0.1:8080");
    assertThat(stats.path("labels").path("__metrics_path__").asText()).isEqualTo("/stats");
    assertThat(stats.path("labels").path("__param_format").asText()).isEqualTo("prometheus");
    assertThat(stats.path("labels").path("job").asText()).isEqualTo("kubernetes-pods");

    assertThat(json("/jobs/nope/targets", 404).path("error").asText()).contains("nope");
    assertThat(json("/jobs/kubernetes-pods/targets?collector_id=ghost", 404).path("error").asText())
        .contains("ghost");
    assertThat(json("/jobs/kubernetes-pods/targets?collector_id=", 400).path("error").asText())
        .contains("collector_id");
  }

  @Test
  void aBearerTokenProtectsEverythingButHealth() throws Exception {
    HttpServer guarded =
        new ShardApi(
                coordinator,
                List.of(
                    new io.scrapeshard.worker.Worker.Job(
                        new io.scrapeshard.worker.scrape.ScrapeJob(
                            "pods", Duration.ofSeconds(30), Duration.ofSeconds(10), false, 0),
                        targets)),
                Clock.systemUTC(),
                new SelfMetrics(coordinator, targets, null, null, Clock.systemUTC()),
                "s3cret")
            .listen(vertx, "127.0.0.1", 0);
    try {
      String base = "http://127.0.0.1:" + guarded.actualPort();
      java.util.function.BiFunction<String, String, HttpResponse<String>> call =
          (path, token) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
            if (token != null) {
              b.header("Authorization", "Bearer " + token);
            }
            try {
              return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };

      assertThat(call.apply("/livez", null).statusCode()).isEqualTo(200);
      assertThat(call.apply("/readyz", null).statusCode()).isEqualTo(503);
      for (String path :
          List.of("/api/v1/members", "/api/v1/epochs", "/metrics", "/jobs", "/scrape_configs")) {
        HttpResponse<String> none = call.apply(path, null);
        assertThat(none.statusCode()).as(path).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(JSON.readTree(none.body()).path("error").asText()).contains("Bearer");
        assertThat(call.apply(path, "wrong").statusCode()).as(path).isEqualTo(401);
        assertThat(call.apply(path, "s3cret").statusCode()).as(path).isEqualTo(200);
      }
      assertThat(
              new HttpPeerEpochs(Duration.ofSeconds(2), "s3cret")
                  .fetch("p", "127.0.0.1:" + guarded.actualPort()))
          .isPresent();
      assertThat(
              new HttpPeerEpochs(Duration.ofSeconds(2))
                  .fetch("p", "127.0.0.1:" + guarded.actualPort()))
          .isEmpty();
    } finally {
      guarded.close().await();
    }
  }
}
