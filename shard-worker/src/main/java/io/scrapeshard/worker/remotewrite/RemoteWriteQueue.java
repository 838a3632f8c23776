package io.scrapeshard.worker.remotewrite;

import io.scrapeshard.worker.scrape.Series;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships series to a Prometheus remote-write 1.0 receiver (Prometheus, Mimir, VictoriaMetrics, an
 * OpenTelemetry Collector).
 *
 * <p>Series are spread over {@code shards} senders by their label set, so each series stays in
 * order. Each shard holds a bounded queue (the memory bound); a sample that finds its shard full is
 * dropped and counted. A batch is retried with exponential backoff on 5xx, 429 (honouring {@code
 * Retry-After}) and connection errors, for as long as the queue runs; a 400 — which a Prometheus
 * receiver answers for a whole request when one sample is out of order or a duplicate — splits the
 * batch in halves, down to the one bad sample, which is counted as rejected; any other 4xx rejects
 * the batch. Every sample ends up counted: sent, dropped or rejected.
 *
 * <p>{@code offer} never blocks. One lifecycle: {@link #start()}, then {@link #close(Duration)}.
 */
public final class RemoteWriteQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteQueue.class);
  private static final long MAX_RETRY_AFTER_MILLIS = 5 * 60_000;

  private final RemoteWriteOptions options;
  private final HttpClient http;
  private final List<Shard> shards = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong droppedQueueFull = new AtomicLong();
  final AtomicLong droppedShutdown = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  private volatile boolean running;
  private volatile long flushDeadlineNanos = Long.MAX_VALUE;

  public RemoteWriteQueue(RemoteWriteOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.http = HttpClient.newBuilder().connectTimeout(options.timeout()).build();
    for (int i = 0; i < options.shards(); i++) {
      shards.add(new Shard(i, Math.max(1, options.capacity() / options.shards())));
    }
  }

  /** A snapshot of the counters, for self-metrics. */
  public record Stats(
      long sent,
      long droppedQueueFull,
      long droppedShutdown,
      long rejected,
      long retries,
      int queued) {}

  public void start() {
    running = true;
    for (Shard s : shards) {
      Thread t = new Thread(s, "remote-write-" + s.index);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Queues {@code series}; a sample whose shard is full is dropped and counted. Never blocks. */
  public void offer(List<Series> series) {
    int n = shards.size();
    if (n == 1) {
      hand(shards.get(0), series);
      return;
    }
    List<List<Series>> byShard = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byShard.add(new ArrayList<>(series.size() / n + 16));
    }
    for (Series s : series) {
      byShard.get(Math.floorMod(s.series().hash(), n)).add(s);
    }
    for (int i = 0; i < n; i++) {
      if (!byShard.get(i).isEmpty()) {
        hand(shards.get(i), byShard.get(i));
      }
    }
  }

  private void hand(Shard shard, List<Series> series) {
    int accepted = shard.queue.offerAll(series);
    if (accepted < series.size()) {
      droppedQueueFull.addAndGet(series.size() - accepted);
    }
  }

  public Stats stats() {
    int queued = shards.stream().mapToInt(s -> s.queue.size()).sum();
    return new Stats(
        sent.get(),
        droppedQueueFull.get(),
        droppedShutdown.get(),
        rejected.get(),
        retries.get(),
        queued);
  }

  /**
   * Sends what is queued for at most {@code flush}, then stops; what is left is counted as dropped.
   */
  public void close(Duration flush) {
    flushDeadlineNanos = System.nanoTime() + flush.toNanos();
    running = false;
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, flush.toMillis() + options.timeout().toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    int left = shards.stream().mapToInt(s -> s.queue.size()).sum();
    if (left > 0) {
      droppedShutdown.addAndGet(left);
      LOG.warn("remote write stopped with {} samples unsent (flush deadline {})", left, flush);
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private boolean mayKeepTrying() {
    return running || System.nanoTime() < flushDeadlineNanos;
  }

  private final class Shard implements Runnable {
    final int index;
    final SampleBuffer<Series> queue;
    private long backoffMillis;

    Shard(int index, int capacity) {
      this.index = index;
      this.queue = new SampleBuffer<>(capacity);
    }

    @Override
    public void run() {
      List<Series> batch = new ArrayList<>(options.maxBatch());
      while (running || (!queue.isEmpty() && System.nanoTime() < flushDeadlineNanos)) {
        try {
          if (queue.drainTo(batch, options.maxBatch(), options.batchDeadline().toMillis()) == 0) {
            continue;
          }
          send(batch);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } finally {
          batch.clear();
        }
      }
    }

    private void send(List<Series> batch) throws InterruptedException {
      while (true) {
        Outcome o = post(batch);
        switch (o.kind) {
          case OK -> {
            sent.addAndGet(batch.size());
            backoffMillis = 0;
            return;
          }
          case SPLIT -> {
            if (batch.size() == 1) {
              rejected.incrementAndGet();
              LOG.warn("remote write rejected a sample ({}): {} {}", o.detail, batch.get(0), "");
              return;
            }
            int half = batch.size() / 2;
            send(new ArrayList<>(batch.subList(0, half)));
            send(new ArrayList<>(batch.subList(half, batch.size())));
            return;
          }
          case REJECT -> {
            rejected.addAndGet(batch.size());
            LOG.warn("remote write rejected {} samples: {}", batch.size(), o.detail);
            return;
          }
          case RETRY -> {
            if (!mayKeepTrying()) {
              droppedShutdown.addAndGet(batch.size());
              return;
            }
            retries.incrementAndGet();
            long wait = o.retryAfterMillis > 0 ? o.retryAfterMillis : nextBackoff();
            LOG.debug("remote write shard {}: {}; retrying in {} ms", index, o.detail, wait);
            Thread.sleep(Math.min(wait, MAX_RETRY_AFTER_MILLIS)); // a backoff pause, not a sync
          }
        }
      }
    }

    private long nextBackoff() {
      backoffMillis =
          backoffMillis == 0
              ? options.minBackoff().toMillis()
              : Math.min(backoffMillis * 2, options.maxBackoff().toMillis());
      return backoffMillis;
    }
  }

  private enum Kind {
    OK,
    RETRY,
    SPLIT,
    REJECT
  }

  private record Outcome(Kind kind, String detail, long retryAfterMillis) {}

  private Outcome post(List<Series> batch) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(options.url())
            .timeout(options.timeout())
            .header("Content-Encoding", "snappy")
            .header("Content-Type", "application/x-protobuf")
            .header("User-Agent", "scrape-shard/0.1")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    WriteRequests.encode(batch, options.externalLabels())));
    options.headers().forEach(request::header);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Outcome(Kind.RETRY, "receiver unreachable: " + e, 0);
    }
    int code = response.statusCode();
    String detail = "HTTP " + code + " " + excerpt(response.body());
    if (code / 100 == 2) {
      return new Outcome(Kind.OK, detail, 0);
    }
    if (code == 429 || code / 100 == 5) {
      return new Outcome(Kind.RETRY, detail, retryAfter(response));
    }
    if (code == 400) {
      return new Outcome(Kind.SPLIT, detail, 0);
    }
    return new Outcome(Kind.REJECT, detail, 0);
  }

  private static long retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(v -> retryAfterMillis(v, System.currentTimeMillis()))
        .orElse(0L);
  }

  /**
   * The wait a {@code Retry-After} value asks for: delay-seconds or an HTTP date (RFC 9110), never
   * negative; 0 (our own backoff) for a value that is neither.
   */
  static long retryAfterMillis(String value, long nowMillis) {
    String v = value.strip();
    try {
      return Math.max(0, Math.multiplyExact(Long.parseLong(v), 1000L));
    } catch (NumberFormatException | ArithmeticException e) {
      // not delay-seconds: try a date
    }
    try {
      long at =
          java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
              .toInstant()
              .toEpochMilli();
      return Math.max(0, at - nowMillis);
    } catch (java.time.format.DateTimeParseException e) {
      LOG.debug("ignoring a Retry-After of '{}': neither seconds nor an HTTP date", v);
      return 0;
    }
  }

  private static String excerpt(String body) {
    String s = body == null ? "" : body.strip();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  /** For tests and the demo: a map of the external labels in use. */
  Map<String, String> externalLabels() {
    return options.externalLabels();
  }
}
