package io.scrapeshard.worker.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scrapeshard.worker.scrape.Series;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteWriteQueueTest {

  Receiver receiver;
  RemoteWriteQueue queue;

  @AfterEach
  void stop() {
    if (queue != null) {
      queue.close(Duration.ofSeconds(1));
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  static List<Series> series(String name, int count, long fromMillis) {
    List<Series> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(
          new Series(
              new String[] {"__name__", name, "i", String.valueOf(i % 7)}, i, fromMillis + i));
    }
    return out;
  }

  private RemoteWriteQueue start(URI url, int capacity) {
    queue =
        new RemoteWriteQueue(
            RemoteWriteOptions.builder(url)
                .shards(3)
                .capacity(capacity)
                .maxBatch(50)
                .batchDeadline(Duration.ofMillis(20))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(200))
                .timeout(Duration.ofSeconds(2))
                .externalLabels(Map.of("cluster", "eu-1", "i", "never-overrides"))
                .build());
    queue.start();
    return queue;
  }

  @Test
  void shipsEverySampleWithExternalLabelsInOrderPerSeries() throws IOException {
    receiver = new Receiver();
    start(receiver.url(), 10_000);
    List<Series> sent = series("a", 500, 1_000);

    queue.offer(sent);

    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received.size() == 500);
    assertThat(queue.stats().sent()).isEqualTo(500);
    assertThat(receiver.contentEncodings).containsOnly("snappy");
    Series first = receiver.received.stream().filter(s -> s.value() == 0).findFirst().orElseThrow();
    assertThat(first.labels()).containsExactly("__name__", "a", "cluster", "eu-1", "i", "0");
    for (int i = 0; i < 7; i++) {
      String id = String.valueOf(i);
      List<Long> times =
          receiver.received.stream()
              .filter(s -> id.equals(s.label("i")))
              .map(Series::timestampMillis)
              .toList();
      assertThat(times).as("series i=%s in order", id).isSorted();
    }
  }

  @Test
  void retriesServerErrorsAndTooManyRequestsUntilTheyPass() throws IOException {
    receiver = new Receiver();
    AtomicInteger calls = new AtomicInteger();
    receiver.answer(
        b ->
            switch (calls.incrementAndGet()) {
              case 1 -> new Receiver.Answer(500, null);
              case 2 -> new Receiver.Answer(503, null);
              case 3 -> new Receiver.Answer(429, "1");
              default -> Receiver.Answer.OK;
            });
    start(receiver.url(), 10_000);
    long before = System.currentTimeMillis();

    queue.offer(series("b", 10, 0));

    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received.size() == 10);
    assertThat(System.currentTimeMillis() - before)
        .as("Retry-After: 1 was honoured")
        .isGreaterThanOrEqualTo(1_000);
    assertThat(queue.stats().retries()).isGreaterThanOrEqualTo(3);
    assertThat(queue.stats().droppedQueueFull() + queue.stats().rejected()).isZero();
  }

  @Test
  void a400SplitsTheBatchSoOneBadSampleCostsOnlyItself() throws IOException {
    receiver = new Receiver();
    receiver.answer(
        b ->
            b.stream().anyMatch(s -> s.value() == 13)
                ? new Receiver.Answer(400, null)
                : Receiver.Answer.OK);
    queue =
        new RemoteWriteQueue(
            RemoteWriteOptions.builder(receiver.url())
                .shards(1)
                .maxBatch(40)
                .batchDeadline(Duration.ofMillis(200))
                .build());
    queue.start();

    queue.offer(series("c", 40, 0));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> queue.stats().sent() + queue.stats().rejected() == 40);
    assertThat(queue.stats().rejected()).isEqualTo(1);
    assertThat(receiver.received).hasSize(39).noneMatch(s -> s.value() == 13);
  }

  @Test
  void otherClientErrorsRejectTheBatchWithoutRetrying() throws IOException {
    receiver = new Receiver();
    receiver.answer(b -> new Receiver.Answer(401, null));
    start(receiver.url(), 10_000);

    queue.offer(series("d", 5, 0));

    await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats().rejected() == 5);
    assertThat(queue.stats().retries()).isZero();
  }

  @Test
  void aFullQueueDropsAndCounts() throws IOException {
    receiver = new Receiver();
    receiver.answer(b -> new Receiver.Answer(503, null)); // nothing drains
    start(receiver.url(), 30);

    queue.offer(series("e", 200, 0));

    await().atMost(Duration.ofSeconds(5)).until(() -> queue.stats().droppedQueueFull() > 0);
    assertThat(queue.stats().droppedQueueFull() + queue.stats().queued()).isLessThanOrEqualTo(200);
  }

  @Test
  void samplesQueuedWhileTheReceiverIsDownArriveWhenItReturns() throws IOException {
    receiver = new Receiver();
    int port = receiver.port();
    receiver.close(); // down
    start(URI.create("http://127.0.0.1:" + port + "/api/v1/write"), 10_000);

    queue.offer(series("f", 300, 0));
    await().atMost(Duration.ofSeconds(5)).until(() -> queue.stats().retries() >= 3);
    receiver = new Receiver(port); // back

    await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received.size() == 300);
    assertThat(
            queue.stats().droppedQueueFull()
                + queue.stats().rejected()
                + queue.stats().droppedShutdown())
        .isZero();
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    long now = java.time.Instant.parse("2026-11-26T10:00:00Z").toEpochMilli();

    assertThat(RemoteWriteQueue.retryAfterMillis("7", now)).isEqualTo(7_000);
    assertThat(RemoteWriteQueue.retryAfterMillis(" 0 ", now)).isZero();
    assertThat(RemoteWriteQueue.retryAfterMillis("Thu, 26 Nov 2026 10:00:30 GMT", now))
        .isEqualTo(30_000);
    assertThat(RemoteWriteQueue.retryAfterMillis("Thu, 26 Nov 2026 09:59:00 GMT", now)).isZero();
    assertThat(RemoteWriteQueue.retryAfterMillis("soon", now)).isZero();
    assertThat(RemoteWriteQueue.retryAfterMillis("-5", now)).isZero();
  }
}
