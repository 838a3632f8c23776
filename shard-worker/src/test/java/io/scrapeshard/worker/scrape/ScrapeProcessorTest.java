package io.scrapeshard.worker.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeshard.worker.exposition.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeProcessorTest {

  static final Map<String, String> TARGET =
      Map.of("job", "node", "instance", "10.0.0.1:9100", "namespace", "");

  static Sample sample(String name, double value, String... labels) {
    return new Sample(name, labels, value, Sample.NO_TIMESTAMP);
  }

  @Test
  void attachesTargetLabelsAndAddsTheSyntheticSeries() {
    ScrapeResult r =
        new ScrapeProcessor(TARGET, false, 0)
            .success(List.of(sample("a", 1, "x", "y")), 1_000, 0.25);

    assertThat(r.up()).isTrue();
    assertThat(r.series())
        .containsExactly(
            new Series(
                new String[] {
                  "__name__", "a", "instance", "10.0.0.1:9100", "job", "node", "x", "y"
                },
                1,
                1_000),
            new Series(
                new String[] {"__name__", "up", "instance", "10.0.0.1:9100", "job", "node"},
                1,
                1_000),
            new Series(
                new String[] {
                  "__name__", "scrape_duration_seconds", "instance", "10.0.0.1:9100", "job", "node"
                },
                0.25,
                1_000),
            new Series(
                new String[] {
                  "__name__", "scrape_samples_scraped", "instance", "10.0.0.1:9100", "job", "node"
                },
                1,
                1_000),
            new Series(
                new String[] {
                  "__name__",
                  "scrape_samples_post_metric_relabeling",
                  "instance",
                  "10.0.0.1:9100",
                  "job",
                  "node"
                },
                1,
                1_000));
  }

  @Test
  void withoutHonorLabelsAConflictingScrapedLabelBecomesExported() {
    ScrapeProcessor p = new ScrapeProcessor(TARGET, false, 0);

    String[] labels = p.labels("a", new String[] {"exported_job", "x", "job", "scraped"});

    assertThat(labels)
        .containsExactly(
            "__name__",
            "a",
            "exported_exported_job",
            "scraped",
            "exported_job",
            "x",
            "instance",
            "10.0.0.1:9100",
            "job",
            "node");
  }

  @Test
  void withHonorLabelsTheScrapedLabelWins() {
    String[] labels =
        new ScrapeProcessor(TARGET, true, 0).labels("a", new String[] {"job", "scraped"});

    assertThat(labels)
        .containsExactly("__name__", "a", "instance", "10.0.0.1:9100", "job", "scraped");
  }

  @Test
  void exposedTimestampsAreKept() {
    ScrapeResult r =
        new ScrapeProcessor(TARGET, false, 0)
            .success(List.of(new Sample("a", new String[0], 1, 500)), 1_000, 0.1);

    assertThat(r.series().get(0).timestampMillis()).isEqualTo(500);
  }

  @Test
  void duplicateSeriesAreDroppedAndCounted() {
    ScrapeResult r =
        new ScrapeProcessor(TARGET, false, 0)
            .success(List.of(sample("a", 1), sample("a", 2), sample("b", 3)), 1_000, 0.1);

    assertThat(r.duplicates()).isEqualTo(1);
    assertThat(r.series())
        .filteredOn(s -> "a".equals(s.label("__name__")))
        .extracting(Series::value)
        .containsExactly(1.0);
    assertThat(r.series())
        .filteredOn(s -> "scrape_samples_post_metric_relabeling".equals(s.label("__name__")))
        .extracting(Series::value)
        .containsExactly(2.0);
  }

  @Test
  void exceedingTheSampleLimitFailsTheScrape() {
    ScrapeResult r =
        new ScrapeProcessor(TARGET, false, 2)
            .success(List.of(sample("a", 1), sample("b", 2), sample("c", 3)), 1_000, 0.1);

    assertThat(r.up()).isFalse();
    assertThat(r.failure()).isEqualTo("sample_limit exceeded: 3 > 2");
    assertThat(r.series())
        .extracting(s -> s.label("__name__"))
        .containsExactly(
            "up",
            "scrape_duration_seconds",
            "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling");
    assertThat(r.series().get(0).value()).isZero();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void labelsMatchTheStraightforwardDefinitionForRandomLabelSets(boolean honor) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    String[] names = {"job", "instance", "a", "B", "zone", "exported_job", "le", "_x", "code"};
    for (int round = 0; round < 2_000; round++) {
      java.util.TreeMap<String, String> target = new java.util.TreeMap<>();
      java.util.TreeMap<String, String> scraped = new java.util.TreeMap<>();
      for (String n : names) {
        if (random.nextInt(3) == 0) {
          target.put(n, random.nextInt(4) == 0 ? "" : "t" + random.nextInt(3));
        }
        if (random.nextInt(3) == 0) {
          scraped.put(n, random.nextInt(4) == 0 ? "" : "s" + random.nextInt(3));
        }
      }
      String[] pairs =
          scraped.entrySet().stream()
              .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
              .toArray(String[]::new);

      String[] actual = new ScrapeProcessor(target, honor, 0).labels("m", pairs);

      assertThat(actual)
          .as("target %s scraped %s", target, scraped)
          .containsExactly(expected(target, scraped, honor));
    }
  }

  /** Prometheus' rule, written the obvious way. */
  private static String[] expected(
      Map<String, String> target, Map<String, String> scraped, boolean honor) {
    java.util.TreeMap<String, String> l = new java.util.TreeMap<>(scraped);
    target.forEach(
        (k, v) -> {
          if (!l.containsKey(k)) {
            l.put(k, v);
          } else if (!honor) {
            String e = "exported_" + k;
            while (l.containsKey(e)) {
              e = "exported_" + e;
            }
            l.put(e, l.get(k));
            l.put(k, v);
          }
        });
    l.put("__name__", "m");
    l.values().removeIf(String::isEmpty);
    return l.entrySet().stream()
        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
        .toArray(String[]::new);
  }

  @Test
  void theStalenessMarkerIsOneParticularNaN() {
    assertThat(Series.isStale(Series.STALE_NAN)).isTrue();
    assertThat(Series.isStale(Double.NaN)).isFalse();
  }
}
