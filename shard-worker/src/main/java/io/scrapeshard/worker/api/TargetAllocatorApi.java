package io.scrapeshard.worker.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapeshard.coordinator.Epoch;
import io.scrapeshard.coordinator.EpochList;
import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.worker.Worker;
import io.scrapeshard.worker.config.WorkerConfig;
import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.scrapeshard.worker.scrape.ScrapeJob;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenTelemetry Target Allocator's HTTP API, so that an OpenTelemetry Collector whose
 * Prometheus receiver is configured with {@code target_allocator: {endpoint, collector_id}} works
 * with scrape-shard unchanged (the shapes are those of the allocator's README):
 *
 * <ul>
 *   <li>{@code GET /scrape_configs} — job name → Prometheus scrape config;
 *   <li>{@code GET /jobs} — job name → {@code {"_link": "/jobs/<job>/targets"}};
 *   <li>{@code GET /jobs/{job}/targets} — collector id → {@code {"_link", "targets"}}, where the
 *       groups are spelled {@code Targets}/{@code Labels} as in the allocator's documented example;
 *   <li>{@code GET /jobs/{job}/targets?collector_id=<id>} — that collector's targets in {@code
 *       http_sd} format.
 * </ul>
 *
 * <p>Collector ids are member ids: run the collectors as the members (or name them alike). The
 * owner is the epoch in force now; a collector polls every 30 s or so, so hand-off through this API
 * is eventual, like the allocator's own.
 */
final class TargetAllocatorApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ShardCoordinator coordinator;
  private final List<Worker.Job> jobs;
  private final Clock clock;

  TargetAllocatorApi(ShardCoordinator coordinator, List<Worker.Job> jobs, Clock clock) {
    this.coordinator = coordinator;
    this.jobs = jobs;
    this.clock = clock;
  }

  ObjectNode scrapeConfigs() {
    ObjectNode out = JSON.createObjectNode();
    for (Worker.Job j : jobs) {
      ScrapeJob s = j.scrape();
      ObjectNode c =
          out.putObject(s.name())
              .put("job_name", s.name())
              .put("honor_labels", s.honorLabels())
              .put("honor_timestamps", true)
              .put("follow_redirects", true)
              .put("metrics_path", "/metrics")
              .put("scheme", "http")
              .put("scrape_interval", WorkerConfig.formatDuration(s.interval()))
              .put("scrape_timeout", WorkerConfig.formatDuration(s.timeout()));
      if (s.sampleLimit() > 0) {
        c.put("sample_limit", s.sampleLimit());
      }
      c.putArray("metric_relabel_configs");
      c.putArray("relabel_configs");
    }
    return out;
  }

  ObjectNode jobs() {
    ObjectNode out = JSON.createObjectNode();
    for (Worker.Job j : jobs) {
      out.putObject(j.scrape().name())
          .put("_link", "/jobs/" + encode(j.scrape().name()) + "/targets");
    }
    return out;
  }

  void targets(RoutingContext c) {
    String name = c.pathParam("job");
    Optional<Worker.Job> job =
        jobs.stream().filter(j -> j.scrape().name().equals(name)).findFirst();
    if (job.isEmpty()) {
      ShardApi.error(c, 404, "unknown job '" + name + "'");
      return;
    }
    long now = clock.millis();
    EpochList epochs = coordinator.view().epochs();
    Optional<Epoch> active = epochs.activeAt(now);
    String collector = c.request().getParam("collector_id");
    if (collector != null && collector.isBlank()) {
      ShardApi.error(c, 400, "collector_id must not be empty");
      return;
    }
    if (active.isEmpty()) {
      ShardApi.error(c, 503, "no epoch in force yet");
      return;
    }
    if (collector != null && !active.get().contains(collector)) {
      ShardApi.error(
          c,
          404,
          "unknown collector_id '" + collector + "' (not in epoch " + active.get().number() + ")");
      return;
    }
    Map<String, List<ScrapeTarget>> byMember =
        ShardApi.byOwner(
            active.get(), epochs, job.get().source().snapshot().targets().values(), now);
    if (collector != null) {
      ArrayNode out = JSON.createArrayNode();
      byMember.get(collector).forEach(t -> addGroup(out, t, "targets", "labels"));
      ShardApi.send(c, 200, out);
      return;
    }
    ObjectNode out = JSON.createObjectNode();
    new java.util.TreeMap<>(byMember)
        .forEach(
            (id, mine) -> {
              ObjectNode n =
                  out.putObject(id)
                      .put(
                          "_link", "/jobs/" + encode(name) + "/targets?collector_id=" + encode(id));
              ArrayNode groups = n.putArray("targets");
              mine.forEach(t -> addGroup(groups, t, "Targets", "Labels"));
            });
    ShardApi.send(c, 200, out);
  }

  /** One target as an http_sd group: its address, its labels and its scheme, path and params. */
  static void addGroup(ArrayNode out, ScrapeTarget t, String targetsField, String labelsField) {
    ObjectNode group = out.addObject();
    group.putArray(targetsField).add(t.address());
    ObjectNode labels = group.putObject(labelsField);
    t.labels().forEach(labels::put);
    labels.put("__scheme__", t.scheme()).put("__metrics_path__", t.path());
    t.params().forEach((k, v) -> labels.put("__param_" + k, v.get(0)));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
