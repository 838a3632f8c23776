package io.scrapeshard.worker.api;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.scrapeshard.coordinator.ConnectionStatus;
import io.scrapeshard.coordinator.CoordinatorStats;
import io.scrapeshard.coordinator.ShardCoordinator;
import io.scrapeshard.worker.discovery.InvalidTargetReason;
import io.scrapeshard.worker.discovery.TargetSource;
import io.scrapeshard.worker.remotewrite.RemoteWriteQueue;
import io.scrapeshard.worker.scrape.ScrapeScheduler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The worker's self-metrics, with the Prometheus Java client (1.x), read from the components'
 * counters at scrape time: membership and ZooKeeper link, epochs and their notice, discovery
 * (targets, invalid targets by reason), scraping (scrapes, failures, late slots skipped, staleness
 * markers, samples) and remote write (sent, dropped by reason, rejected, retries, queue length).
 */
public final class SelfMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  /** Any component may be null (not running in this process); its metrics are left out. */
  public SelfMetrics(
      ShardCoordinator coordinator,
      TargetSource targets,
      List<ScrapeScheduler> schedulers,
      RemoteWriteQueue output,
      Clock clock) {
    if (coordinator != null) {
      coordination(coordinator, clock);
    }
    if (targets != null) {
      discovery(targets, coordinator, clock);
    }
    if (schedulers != null && !schedulers.isEmpty()) {
      scraping(schedulers);
    }
    if (output != null) {
      counter(
          "scrape_shard_remote_write_samples_sent",
          "Samples the receiver accepted.",
          () -> output.stats().sent());
      CounterWithCallback.builder()
          .name("scrape_shard_remote_write_samples_dropped")
          .help("Samples dropped before sending, by reason.")
          .labelNames("reason")
          .callback(
              cb -> {
                cb.call(output.stats().droppedQueueFull(), "queue_full");
                cb.call(output.stats().droppedShutdown(), "shutdown");
              })
          .register(registry);
      counter(
          "scrape_shard_remote_write_samples_rejected",
          "Samples the receiver refused (4xx).",
          () -> output.stats().rejected());
      counter(
          "scrape_shard_remote_write_retries",
          "Requests retried (5xx, 429, connection errors).",
          () -> output.stats().retries());
      gauge(
          "scrape_shard_remote_write_queue_samples",
          "Samples waiting to be sent.",
          () -> output.stats().queued());
    }
  }

  private void scraping(List<ScrapeScheduler> schedulers) {
    perJob(
        "scrape_shard_scrapes",
        "Scrapes this worker performed.",
        schedulers,
        ScrapeScheduler.Stats::scrapes);
    perJob(
        "scrape_shard_scrape_failures",
        "Scrapes that failed (up 0).",
        schedulers,
        ScrapeScheduler.Stats::failures);
    perJob(
        "scrape_shard_slots_skipped_late",
        "Slots skipped for being more than half an interval late.",
        schedulers,
        ScrapeScheduler.Stats::skippedLate);
    perJob(
        "scrape_shard_stale_markers",
        "Staleness markers written.",
        schedulers,
        ScrapeScheduler.Stats::staleMarkers);
    perJob(
        "scrape_shard_samples_scraped",
        "Samples read from targets.",
        schedulers,
        ScrapeScheduler.Stats::samplesScraped);
    Histogram durations =
        Histogram.builder()
            .name("scrape_shard_scrape_duration_seconds")
            .help("Time from a slot's request to its parsed samples.")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .labelNames("job")
            .register(registry);
    for (ScrapeScheduler s : schedulers) {
      var child = durations.labelValues(s.job().name());
      s.observeDurations(child::observe);
    }
  }

  private void perJob(
      String name,
      String help,
      List<ScrapeScheduler> schedulers,
      ToLongFunction<ScrapeScheduler.Stats> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("job")
        .callback(
            cb -> schedulers.forEach(s -> cb.call(value.applyAsLong(s.stats()), s.job().name())))
        .register(registry);
  }

  private void coordination(ShardCoordinator c, Clock clock) {
    AtomicLong newestSeen = new AtomicLong();
    AtomicLong handoffs = new AtomicLong();
    c.view()
        .addListener(
            list ->
                list.newest()
                    .ifPresent(
                        e -> {
                          long before = newestSeen.getAndAccumulate(e.number(), Math::max);
                          if (before != 0 && e.number() > before) {
                            handoffs.incrementAndGet();
                          }
                        }));
    counter(
        "scrape_shard_handoffs",
        "New epochs (membership changes that move targets) this worker learned after its first.",
        handoffs::get);
    GaugeWithCallback.builder()
        .name("scrape_shard_zookeeper_connection")
        .help("1 for the current ZooKeeper link state.")
        .labelNames("state")
        .callback(
            cb -> {
              ConnectionStatus now = c.connectionStatus();
              for (ConnectionStatus s : ConnectionStatus.values()) {
                cb.call(s == now ? 1 : 0, s.name().toLowerCase(java.util.Locale.ROOT));
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("scrape_shard_zookeeper_transitions")
        .help("Entries into each link state.")
        .labelNames("state")
        .callback(
            cb ->
                c.stats()
                    .transitions()
                    .forEach((s, n) -> cb.call(n, s.name().toLowerCase(java.util.Locale.ROOT))))
        .register(registry);
    gauge("scrape_shard_epoch", "Number of the epoch in force.", () -> c.stats().activeEpoch());
    gauge(
        "scrape_shard_members", "Members of the epoch in force.", () -> c.stats().activeMembers());
    gauge("scrape_shard_leader", "1 if this worker leads.", () -> c.leader() ? 1 : 0);
    gauge("scrape_shard_ready", "1 if this worker is ready (rule 11).", () -> c.ready() ? 1 : 0);
    counter(
        "scrape_shard_epochs_published",
        "Epoch lists this worker wrote as leader.",
        () -> c.stats().epochsPublished());
    counter(
        "scrape_shard_epoch_publish_rejections",
        "Epoch writes ZooKeeper refused.",
        () -> c.stats().publishRejections());
    counter(
        "scrape_shard_unreadable_nodes",
        "Member or epoch nodes that could not be parsed.",
        () -> c.stats().unreadableNodes());
    gauge(
        "scrape_shard_zookeeper_skew_seconds",
        "Local clock minus the mtime of the last epochs write.",
        () -> c.stats().skewMillis() / 1000.0);
    gauge(
        "scrape_shard_epoch_notice_seconds",
        "Notice the newest epoch gave (activation minus learned).",
        () -> {
          CoordinatorStats s = c.stats();
          long newest = c.view().epochs().newest().map(e -> e.number()).orElse(0L);
          return s.noticeMillis().getOrDefault(newest, 0L) / 1000.0;
        });
  }

  private void discovery(TargetSource targets, ShardCoordinator c, Clock clock) {
    gauge(
        "scrape_shard_targets_discovered",
        "Targets discovery knows.",
        () -> targets.snapshot().targets().size());
    if (c != null) {
      gauge(
          "scrape_shard_targets_owned",
          "Targets this worker owns now.",
          () ->
              targets.snapshot().targets().keySet().stream()
                  .filter(k -> c.view().ownsSlot(k, Instant.ofEpochMilli(clock.millis())))
                  .count());
    }
    CounterWithCallback.builder()
        .name("scrape_shard_invalid_targets")
        .help("Discovered targets skipped, by reason.")
        .labelNames("reason")
        .callback(
            cb -> {
              for (InvalidTargetReason r : InvalidTargetReason.values()) {
                cb.call(targets.invalidCounts().getOrDefault(r, 0L), r.label());
              }
            })
        .register(registry);
  }

  private void counter(String name, String help, Supplier<Number> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.get().doubleValue()))
        .register(registry);
  }

  private void gauge(String name, String help, Supplier<Number> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.get().doubleValue()))
        .register(registry);
  }

  /** The text exposition format 0.0.4. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8_192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public String contentType() {
    return writer.getContentType();
  }
}
