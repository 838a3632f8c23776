package io.scrapeshard.worker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The demo's acceptance, in process: 3 workers and 300 targets agree on one epoch with 3 members
 * whose target counts sum to 300 on every API; after a worker stops, the other two show 2 members
 * summing to 300 within the session timeout + 2 s; samples reach the sink; the scrape-duration
 * histogram is exported.
 */
class DemoIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Duration SESSION = Duration.ofSeconds(10);

  static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return JSON.createObjectNode();
    }
    return JSON.readTree(r.body());
  }

  /** Every listed API shows {@code members} members summing to 300 with the same epoch. */
  static boolean agree(List<String> apis, int members) throws Exception {
    Set<Long> epochs = new HashSet<>();
    for (String api : apis) {
      JsonNode a = get(api + "/api/v1/assignments?summary=true");
      if (a.path("members").size() != members || a.path("totalTargets").asInt() != 300) {
        return false;
      }
      int sum = 0;
      for (JsonNode m : a.path("members")) {
        sum += m.path("targetCount").asInt();
      }
      if (sum != 300) {
        return false;
      }
      epochs.add(a.path("epoch").asLong());
    }
    return epochs.size() == 1;
  }

  @Test
  void threeWorkersShareThreeHundredTargetsAndTwoTakeOverWhenOneStops() throws Exception {
    try (Demo demo =
        new Demo(
            new Demo.Options(3, 300, 0, Duration.ofSeconds(2), SESSION, Duration.ofSeconds(2)))) {
      List<String> apis = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        apis.add(demo.apiUrl(i).orElseThrow());
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> agree(apis, 3));
      await().atMost(Duration.ofSeconds(20)).until(() -> demo.samplesReceived() > 0);
      String metrics =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(apis.get(0) + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("scrape_shard_scrape_duration_seconds_bucket{job=\"demo\",le=\"0.005\"}")
          .contains("scrape_shard_scrapes_total{job=\"demo\"}")
          .contains("scrape_shard_members 3.0");

      long stopped = System.nanoTime();
      demo.stopWorker(2);
      System.out.printf(
          "graceful stop of worker-2 took %d ms%n", (System.nanoTime() - stopped) / 1_000_000);
      await()
          .atMost(SESSION.plusSeconds(2).minusNanos(System.nanoTime() - stopped))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> agree(apis.subList(0, 2), 2));
      assertThat(demo.status().orElseThrow().targetsPerMember())
          .containsOnlyKeys("worker-0", "worker-1");
    }
  }
}
