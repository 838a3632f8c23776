package io.scrapeshard.worker.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.scrapeshard.hashing.TargetKey;
import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.scrapeshard.worker.discovery.TargetSource;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeSchedulerTest {

  // long enough that a busy CI machine does not push slots past the half-interval lateness limit
  static final long INTERVAL = 500;

  static final ScrapeJob JOB =
      new ScrapeJob("test", Duration.ofMillis(INTERVAL), Duration.ofMillis(400), false, 0);

  Vertx vertx;
  HttpServer server;
  HttpScraper scraper;
  ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  ExecutorService parsers = Executors.newFixedThreadPool(2);
  final List<ScrapeScheduler> schedulers = new ArrayList<>();
  volatile String payload = "a 1\nb 2\n";

  @BeforeEach
  void start() throws IOException {
    vertx = Vertx.vertx();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        e -> {
          byte[] body = payload.getBytes(StandardCharsets.UTF_8);
          e.sendResponseHeaders(200, body.length);
          try (OutputStream os = e.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    scraper = new HttpScraper(vertx, HttpScraper.Options.defaults());
  }

  @AfterEach
  void stop() {
    schedulers.forEach(ScrapeScheduler::close);
    timer.shutdownNow();
    parsers.shutdownNow();
    scraper.close();
    server.stop(0);
    vertx.close().await();
  }

  private ScrapeTarget target() {
    String address = "127.0.0.1:" + server.getAddress().getPort();
    return new ScrapeTarget(
        TargetKey.of("http://" + address + "/metrics"),
        "http",
        address,
        "/metrics",
        Map.of(),
        Map.of("job", "test", "instance", address),
        "");
  }

  private ScrapeScheduler scheduler(BiPredicate<TargetKey, Instant> owns, List<Series> sink) {
    ScrapeScheduler s =
        new ScrapeScheduler(JOB, owns, scraper, sink::addAll, Clock.systemUTC(), timer, parsers);
    schedulers.add(s);
    return s;
  }

  private static TargetSource.Snapshot snapshot(ScrapeTarget... targets) {
    Map<TargetKey, ScrapeTarget> m = new java.util.HashMap<>();
    for (ScrapeTarget t : targets) {
      m.put(t.key(), t);
    }
    return new TargetSource.Snapshot(m, true, 1);
  }

  private static List<Long> timestamps(List<Series> sink, String name) {
    return sink.stream()
        .filter(s -> name.equals(s.label("__name__")) && !Series.isStale(s.value()))
        .map(Series::timestampMillis)
        .sorted()
        .toList();
  }

  @Test
  void theOwnerScrapesEverySlotOnceStampedWithTheSlotTime() {
    List<Series> sink = new CopyOnWriteArrayList<>();
    ScrapeTarget t = target();
    scheduler((k, slot) -> true, sink).update(snapshot(t));

    await().atMost(Duration.ofSeconds(10)).until(() -> timestamps(sink, "up").size() >= 5);

    List<Long> ups = timestamps(sink, "up");
    long offset = ScrapeScheduler.offset(t.key(), INTERVAL);
    for (int i = 0; i < ups.size(); i++) {
      assertThat(Math.floorMod(ups.get(i) - offset, INTERVAL)).isZero();
      if (i > 0) {
        assertThat(ups.get(i) - ups.get(i - 1)).isEqualTo(INTERVAL);
      }
    }
    assertThat(sink)
        .filteredOn(s -> "a".equals(s.label("__name__")))
        .first()
        .satisfies(s -> assertThat(s.label("job")).isEqualTo("test"));
  }

  @Test
  void aHandoffGivesEverySlotToExactlyOneWorkerAndNoStaleness() {
    List<Series> a = new CopyOnWriteArrayList<>();
    List<Series> b = new CopyOnWriteArrayList<>();
    long handoff = System.currentTimeMillis() + 1_600;
    ScrapeTarget t = target();
    scheduler((k, slot) -> slot.toEpochMilli() < handoff, a).update(snapshot(t));
    scheduler((k, slot) -> slot.toEpochMilli() >= handoff, b).update(snapshot(t));

    await().atMost(Duration.ofSeconds(10)).until(() -> timestamps(b, "up").size() >= 4);

    List<Long> all = new ArrayList<>(timestamps(a, "up"));
    all.addAll(timestamps(b, "up"));
    all.sort(null);
    assertThat(timestamps(a, "up")).isNotEmpty().allMatch(ts -> ts < handoff);
    assertThat(timestamps(b, "up")).allMatch(ts -> ts >= handoff);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i) - all.get(i - 1)).as("no gap, no duplicate").isEqualTo(INTERVAL);
    }
    assertThat(a).noneMatch(s -> Series.isStale(s.value()));
  }

  @Test
  void vanishedSeriesAndVanishedTargetsGoStale() {
    List<Series> sink = new CopyOnWriteArrayList<>();
    ScrapeTarget t = target();
    ScrapeScheduler s = scheduler((k, slot) -> true, sink);
    s.update(snapshot(t));
    await().atMost(Duration.ofSeconds(5)).until(() -> timestamps(sink, "b").size() >= 1);

    payload = "a 1\n"; // b vanishes
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                sink.stream()
                    .anyMatch(x -> "b".equals(x.label("__name__")) && Series.isStale(x.value())));

    s.update(snapshot()); // the target vanishes
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                sink.stream()
                    .anyMatch(x -> "a".equals(x.label("__name__")) && Series.isStale(x.value())));
    assertThat(s.stats().staleMarkers()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aFailedScrapeReportsUpZeroAndStalesTheSeries() {
    List<Series> sink = new CopyOnWriteArrayList<>();
    ScrapeScheduler s = scheduler((k, slot) -> true, sink);
    s.update(snapshot(target()));
    await().atMost(Duration.ofSeconds(5)).until(() -> timestamps(sink, "a").size() >= 1);

    payload = "a{ 1\n"; // malformed

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> sink.stream().anyMatch(x -> "up".equals(x.label("__name__")) && x.value() == 0));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                sink.stream()
                    .anyMatch(x -> "a".equals(x.label("__name__")) && Series.isStale(x.value())));
    assertThat(s.stats().failures()).isPositive();
  }

  @Test
  void slotsAreAFixedPhaseOfTheKey() {
    assertThat(ScrapeScheduler.slotAtOrAfter(1_000, 300, 100)).isEqualTo(1_000);
    assertThat(ScrapeScheduler.slotAtOrAfter(1_001, 300, 100)).isEqualTo(1_300);
    assertThat(ScrapeScheduler.offset(TargetKey.of("x"), 15_000))
        .isEqualTo(ScrapeScheduler.offset(TargetKey.of("x"), 15_000))
        .isBetween(0L, 14_999L);
  }
}
