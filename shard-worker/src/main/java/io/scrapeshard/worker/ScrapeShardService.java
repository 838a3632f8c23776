package io.scrapeshard.worker;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.worker.api.HttpPeerEpochs;
import io.scrapeshard.worker.api.SelfMetrics;
import io.scrapeshard.worker.api.ShardApi;
import io.scrapeshard.worker.config.ConfigException;
import io.scrapeshard.worker.config.WorkerConfig;
import io.scrapeshard.worker.discovery.FileTargetSource;
import io.scrapeshard.worker.discovery.KubernetesTargetSource;
import io.scrapeshard.worker.discovery.TargetSource;
import io.scrapeshard.worker.remotewrite.RemoteWriteQueue;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process as configured: the {@link Worker}, its REST API with self-metrics, and the
 * clients they need. {@link #start()} opens the API first (so that probes and peers get answers
 * while discovery syncs), then starts the worker; {@link #stop()} leaves gracefully within the
 * configured leave timeout.
 */
public final class ScrapeShardService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeShardService.class);

  private final WorkerConfig config;
  private final Worker worker;
  private final ShardApi api;
  private final KubernetesClient kubernetes;
  private final Vertx vertx = Vertx.vertx();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile HttpServer server;

  /**
   * Builds everything without connecting anywhere.
   *
   * @param kubernetesClient makes the Kubernetes client when a job discovers pods (called at most
   *     once)
   * @throws ConfigException when a file named by the configuration cannot be read
   */
  public ScrapeShardService(
      WorkerConfig config, Clock clock, Supplier<KubernetesClient> kubernetesClient) {
    this.config = config;
    String token = readToken(config);
    ShardCoordinator coordinator =
        ShardCoordinator.builder()
            .connectString(config.coordination().zookeeper())
            .root(config.coordination().root())
            .cluster(config.cluster())
            .memberId(config.member().id())
            .address(config.member().address())
            .weight(config.member().weight())
            .sessionTimeout(config.coordination().sessionTimeout())
            .handoffDelay(config.coordination().handoffDelay())
            .peerEpochs(new HttpPeerEpochs(Duration.ofSeconds(2), token))
            .clock(clock)
            .build();
    KubernetesClient client = null;
    List<Worker.Job> jobs = new ArrayList<>();
    for (WorkerConfig.Job j : config.jobs()) {
      TargetSource source;
      if (j.kubernetes() != null) {
        if (client == null) {
          client = kubernetesClient.get();
        }
        WorkerConfig.Kubernetes k = j.kubernetes();
        source =
            KubernetesTargetSource.builder(client)
                .job(j.scrape().name())
                .namespaces(k.namespaces())
                .excludedNamespaces(k.excludeNamespaces())
                .labelSelector(k.labelSelector())
                .podLabels(k.podLabels())
                .clock(clock)
                .build();
      } else {
        source =
            new FileTargetSource(
                j.fileSd().files(), j.scrape().name(), j.fileSd().refresh(), clock);
      }
      jobs.add(new Worker.Job(j.scrape(), source));
    }
    this.kubernetes = client;
    RemoteWriteQueue output = new RemoteWriteQueue(config.remoteWrite());
    this.worker = new Worker(coordinator, jobs, output, config.scrape(), clock);
    SelfMetrics metrics =
        new SelfMetrics(coordinator, worker.source(), worker.schedulers(), output, clock);
    this.api = new ShardApi(coordinator, worker.jobs(), clock, metrics, token);
  }

  /**
   * With the system clock and a Kubernetes client from the usual in-cluster or kubeconfig setup.
   */
  public ScrapeShardService(WorkerConfig config) {
    this(config, Clock.systemUTC(), () -> new KubernetesClientBuilder().build());
  }

  private static String readToken(WorkerConfig config) {
    if (config.api().bearerTokenFile() == null) {
      return null;
    }
    try {
      String token =
          Files.readString(config.api().bearerTokenFile(), StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new ConfigException(
            "api.bearerTokenFile",
            List.of("api.bearerTokenFile: '" + config.api().bearerTokenFile() + "' is empty"));
      }
      return token;
    } catch (IOException e) {
      throw new ConfigException(
          "api.bearerTokenFile",
          List.of("api.bearerTokenFile: cannot read '" + config.api().bearerTokenFile() + "'"));
    }
  }

  /**
   * Opens the API, then starts the worker (which joins once discovery has synced).
   *
   * @throws IllegalStateException naming the address when the API cannot listen (nothing else has
   *     started then)
   */
  public void start() {
    try {
      server = api.listen(vertx, config.api().host(), config.api().port());
    } catch (Exception e) { // Vert.x rethrows the BindException unchecked
      throw new IllegalStateException(
          "member "
              + config.member().id()
              + ": cannot listen on "
              + config.api().host()
              + ":"
              + config.api().port()
              + " for the REST API: "
              + e.getMessage(),
          e);
    }
    LOG.info(
        "member {}: REST API on {}:{}; ZooKeeper {}; {} job(s)",
        config.member().id(),
        config.api().host(),
        server.actualPort(),
        config.coordination().zookeeper(),
        config.jobs().size());
    worker.start();
  }

  /** The API's port (useful when configured as 0). */
  public int apiPort() {
    return server.actualPort();
  }

  public Worker worker() {
    return worker;
  }

  public WorkerConfig config() {
    return config;
  }

  /** Graceful leave within the configured leave timeout, then everything closes. Idempotent. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    worker.stop(config.leaveTimeout());
    if (server != null) {
      server.close().await();
    }
    vertx.close().await();
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
