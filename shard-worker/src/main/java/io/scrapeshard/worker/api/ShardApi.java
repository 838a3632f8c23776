package io.scrapeshard.worker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapeshard.coordinator.Epoch;
import io.scrapeshard.coordinator.EpochList;
import io.scrapeshard.coordinator.MemberRecord;
import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.worker.Worker;
import io.scrapeshard.worker.discovery.CompositeTargetSource;
import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.scrapeshard.worker.discovery.TargetSource;
import io.scrapeshard.worker.scrape.ScrapeJob;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's REST API (vertx-web), answered by any worker for the whole cluster:
 *
 * <ul>
 *   <li>{@code GET /api/v1/members} — the member nodes;
 *   <li>{@code GET /api/v1/epochs} — this worker's epoch list (what peers read when they lose
 *       ZooKeeper);
 *   <li>{@code GET /api/v1/assignments[?member=<id>][&summary=true]} — who owns which target now;
 *   <li>{@code GET /api/v1/assignments/{namespace}/{pod}} — a pod's targets, owner and ranking;
 *   <li>{@code GET /api/v1/targets?member=<id>} — a member's shard in Prometheus {@code http_sd}
 *       format (sidecar mode: eventual handoff, as the scraper polls every 30-60 s);
 *   <li>OpenTelemetry Target Allocator compatible {@code GET /scrape_configs}, {@code GET /jobs},
 *       {@code GET /jobs/{job}/targets[?collector_id=<id>]} (see {@link TargetAllocatorApi});
 *   <li>{@code GET /metrics} — self-metrics;
 *   <li>{@code GET /livez} (never asks ZooKeeper) and {@code GET /readyz} (DESIGN.md rule 11).
 * </ul>
 *
 * <p>Errors are JSON {@code {"error": "..."}}: 404 for an unknown member or pod, 400 for a bad
 * parameter. Handlers run on the Vert.x event loop and only read in-memory state.
 */
public final class ShardApi {

  /** Liveness: answers 200 while the process runs; never asks ZooKeeper. */
  public static final String LIVENESS_PATH = "/livez";

  /** Readiness (DESIGN.md rule 11): 200 once discovery synced and this worker is a member. */
  public static final String READINESS_PATH = "/readyz";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ShardCoordinator coordinator;
  private final List<Worker.Job> jobs;
  private final TargetSource targets;
  private final Clock clock;
  private final SelfMetrics metrics;
  private final byte[] bearerToken;

  /** One job, {@code kubernetes-pods} every 30 s, no self-metrics of the scrape path, no token. */
  public ShardApi(ShardCoordinator coordinator, TargetSource targets, Clock clock) {
    this(
        coordinator,
        List.of(
            new Worker.Job(
                new ScrapeJob(
                    "kubernetes-pods", Duration.ofSeconds(30), Duration.ofSeconds(10), false, 0),
                targets)),
        clock,
        new SelfMetrics(coordinator, targets, null, null, clock),
        null);
  }

  /**
   * @param jobs the scrape jobs and their targets
   * @param metrics served at {@code /metrics}
   * @param bearerToken when not null, every request but {@code /livez} and {@code /readyz} must
   *     carry {@code Authorization: Bearer <token>}
   */
  public ShardApi(
      ShardCoordinator coordinator,
      List<Worker.Job> jobs,
      Clock clock,
      SelfMetrics metrics,
      String bearerToken) {
    this.coordinator = coordinator;
    this.jobs = List.copyOf(jobs);
    this.targets =
        this.jobs.size() == 1
            ? this.jobs.get(0).source()
            : new CompositeTargetSource(this.jobs.stream().map(Worker.Job::source).toList());
    this.clock = clock;
    this.metrics = metrics;
    if (bearerToken != null && bearerToken.isBlank()) {
      throw new IllegalArgumentException("the API bearer token is empty");
    }
    this.bearerToken =
        bearerToken == null ? null : bearerToken.strip().getBytes(StandardCharsets.UTF_8);
  }

  /** The routes, for mounting on a server. */
  public Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    r.get(LIVENESS_PATH)
        .handler(c -> c.response().putHeader("Content-Type", "text/plain").end("ok\n"));
    r.get(READINESS_PATH).handler(this::ready);
    if (bearerToken != null) {
      r.route().handler(this::authorize);
    }
    r.get("/metrics")
        .handler(
            c ->
                c.response()
                    .putHeader("Content-Type", metrics.contentType())
                    .end(io.vertx.core.buffer.Buffer.buffer(metrics.scrape())));
    r.get("/api/v1/members").handler(this::members);
    r.get("/api/v1/epochs")
        .handler(
            c ->
                c.response()
                    .putHeader("Content-Type", "application/json")
                    .end(io.vertx.core.buffer.Buffer.buffer(coordinator.view().epochs().toJson())));
    r.get("/api/v1/assignments").handler(this::assignments);
    r.get("/api/v1/assignments/:namespace/:pod").handler(this::pod);
    r.get("/api/v1/targets").handler(this::httpSd);
    TargetAllocatorApi ta = new TargetAllocatorApi(coordinator, jobs, clock);
    r.get("/scrape_configs").handler(c -> send(c, 200, ta.scrapeConfigs()));
    r.get("/jobs").handler(c -> send(c, 200, ta.jobs()));
    r.get("/jobs/:job/targets").handler(c -> ta.targets(c));
    r.route().last().handler(c -> error(c, 404, "no such endpoint: " + c.request().path()));
    return r;
  }

  /** Starts an HTTP server for the API on {@code host:port} (0 for any free port). */
  public HttpServer listen(Vertx vertx, String host, int port) {
    return vertx.createHttpServer().requestHandler(router(vertx)).listen(port, host).await();
  }

  private void authorize(RoutingContext c) {
    String header = c.request().getHeader("Authorization");
    byte[] given =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(given, bearerToken)) {
      c.response().putHeader("WWW-Authenticate", "Bearer");
      error(
          c,
          401,
          header == null
              ? "this endpoint needs Authorization: Bearer <token>"
              : "the bearer token is not valid");
      return;
    }
    c.next();
  }

  private void ready(RoutingContext c) {
    List<String> missing = new ArrayList<>();
    if (!targets.snapshot().synced()) {
      missing.add("discovery not synced");
    }
    if (!coordinator.ready()) {
      missing.add("not an active member yet (" + coordinator.connectionStatus() + ")");
    }
    ObjectNode body = JSON.createObjectNode().put("ready", missing.isEmpty());
    missing.forEach(body.putArray("waitingFor")::add);
    send(c, missing.isEmpty() ? 200 : 503, body);
  }

  private void members(RoutingContext c) {
    ArrayNode out = JSON.createArrayNode();
    for (MemberRecord m : coordinator.members().values()) {
      out.addObject()
          .put("id", m.id())
          .put("address", m.address())
          .put("weight", m.weight())
          .put("state", m.state().name().toLowerCase(java.util.Locale.ROOT))
          .put("incarnation", m.incarnation())
          .put("startedAt", Instant.ofEpochMilli(m.startedAtMillis()).toString());
    }
    send(c, 200, out);
  }

  private void assignments(RoutingContext c) {
    String member = c.request().getParam("member");
    String summaryParam = c.request().getParam("summary", "false");
    if (!summaryParam.equals("true") && !summaryParam.equals("false")) {
      error(c, 400, "summary must be true or false, got '" + summaryParam + "'");
      return;
    }
    long now = clock.millis();
    EpochList epochs = coordinator.view().epochs();
    Optional<Epoch> active = epochs.activeAt(now);
    if (active.isEmpty()) {
      error(c, 503, "no epoch in force yet");
      return;
    }
    if (member != null && !active.get().contains(member)) {
      error(c, 404, "unknown member '" + member + "' (not in epoch " + active.get().number() + ")");
      return;
    }
    Collection<ScrapeTarget> all = targets.snapshot().targets().values();
    Map<String, List<ScrapeTarget>> byMember = byOwner(active.get(), epochs, all, now);
    ObjectNode body =
        JSON.createObjectNode()
            .put("epoch", active.get().number())
            .put("activeSince", Instant.ofEpochMilli(active.get().activateAtMillis()).toString())
            .put("totalTargets", all.size());
    ArrayNode members = body.putArray("members");
    for (Member m : active.get().members()) {
      if (member != null && !member.equals(m.id())) {
        continue;
      }
      ObjectNode n =
          members
              .addObject()
              .put("id", m.id())
              .put("weight", m.weight())
              .put("targetCount", byMember.get(m.id()).size());
      if (summaryParam.equals("false")) {
        ArrayNode keys = n.putArray("targets");
        byMember.get(m.id()).forEach(t -> keys.add(t.key().value()));
      }
    }
    send(c, 200, body);
  }

  private void pod(RoutingContext c) {
    String namespace = c.pathParam("namespace");
    String pod = c.pathParam("pod");
    long now = clock.millis();
    String prefix = namespace + "/" + pod + ":";
    ArrayNode out = JSON.createArrayNode();
    for (ScrapeTarget t : targets.snapshot().targets().values()) {
      if (!t.key().value().startsWith(prefix)) {
        continue;
      }
      ObjectNode n = out.addObject().put("key", t.key().value()).put("url", t.uri().toString());
      coordinator.view().epochs().ownerOf(t.key(), now).ifPresent(o -> n.put("owner", o.id()));
      ArrayNode ranking = n.putArray("ranking");
      coordinator
          .view()
          .epochs()
          .ranking(t.key(), Integer.MAX_VALUE, now)
          .forEach(m -> ranking.add(m.id()));
    }
    if (out.isEmpty()) {
      error(c, 404, "no target for pod " + namespace + "/" + pod);
      return;
    }
    send(
        c,
        200,
        JSON.createObjectNode().put("namespace", namespace).put("pod", pod).set("targets", out));
  }

  private void httpSd(RoutingContext c) {
    String member = c.request().getParam("member");
    if (member == null || member.isBlank()) {
      error(
          c, 400, "the member parameter is required, as in /api/v1/targets?member=scrape-shard-0");
      return;
    }
    long now = clock.millis();
    EpochList epochs = coordinator.view().epochs();
    Optional<Epoch> active = epochs.activeAt(now);
    if (active.isEmpty() || !active.get().contains(member)) {
      error(c, 404, "unknown member '" + member + "'");
      return;
    }
    ArrayNode out = JSON.createArrayNode();
    List<ScrapeTarget> mine =
        byOwner(active.get(), epochs, targets.snapshot().targets().values(), now).get(member);
    mine.forEach(t -> TargetAllocatorApi.addGroup(out, t, "targets", "labels"));
    send(c, 200, out);
  }

  /**
   * The targets each member of {@code active} owns at {@code now}, members in the epoch's order,
   * each member's targets sorted by key.
   */
  static Map<String, List<ScrapeTarget>> byOwner(
      Epoch active, EpochList epochs, Collection<ScrapeTarget> targets, long now) {
    Map<String, List<ScrapeTarget>> byMember = new LinkedHashMap<>();
    active.members().forEach(m -> byMember.put(m.id(), new ArrayList<>()));
    for (ScrapeTarget t : targets) {
      epochs.ownerOf(t.key(), now).ifPresent(o -> byMember.get(o.id()).add(t));
    }
    byMember.values().forEach(l -> l.sort(Comparator.comparing(t -> t.key().value())));
    return byMember;
  }

  static void error(RoutingContext c, int status, String message) {
    send(c, status, JSON.createObjectNode().put("error", message));
  }

  static void send(RoutingContext c, int status, Object body) {
    try {
      c.response()
          .setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .end(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      c.response().setStatusCode(500).end("{\"error\":\"cannot write the response\"}");
    }
  }
}
