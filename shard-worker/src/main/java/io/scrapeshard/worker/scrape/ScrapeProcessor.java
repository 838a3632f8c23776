package io.scrapeshard.worker.scrape;

import io.scrapeshard.worker.exposition.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns one scrape's parsed samples into the series Prometheus would store: target labels attached
 * ({@code honor_labels: false} renames a conflicting scraped label to {@code exported_<name>};
 * {@code true} keeps the scraped one), empty label values dropped, duplicate series dropped and
 * counted, {@code sample_limit} enforced (over the limit the scrape fails: no samples, {@code up}
 * 0), and the synthetic {@code up}, {@code scrape_duration_seconds}, {@code scrape_samples_scraped}
 * and {@code scrape_samples_post_metric_relabeling} added.
 *
 * <pre>{@code
 * ScrapeResult r = new ScrapeProcessor(targetLabels, false, 50_000).success(samples, startMillis, 0.012);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ScrapeProcessor {

  private final Map<String, String> targetLabels;
  private final String[] targetPairs; // sorted by name
  private final boolean honorLabels;
  private final int sampleLimit;

  /**
   * @param targetLabels the target's labels ({@code job}, {@code instance}, ...)
   * @param honorLabels whether scraped labels win over target labels
   * @param sampleLimit most samples a scrape may have; 0 for no limit
   */
  public ScrapeProcessor(Map<String, String> targetLabels, boolean honorLabels, int sampleLimit) {
    if (sampleLimit < 0) {
      throw new IllegalArgumentException("sample_limit must be >= 0, got " + sampleLimit);
    }
    this.targetLabels = new TreeMap<>(targetLabels);
    this.targetPairs = new String[this.targetLabels.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : this.targetLabels.entrySet()) {
      targetPairs[i++] = e.getKey();
      targetPairs[i++] = e.getValue();
    }
    this.honorLabels = honorLabels;
    this.sampleLimit = sampleLimit;
  }

  /** The outcome of a scrape that returned a parseable payload. */
  public ScrapeResult success(List<Sample> samples, long scrapeMillis, double durationSeconds) {
    if (sampleLimit > 0 && samples.size() > sampleLimit) {
      return failure(
          scrapeMillis,
          durationSeconds,
          samples.size(),
          "sample_limit exceeded: " + samples.size() + " > " + sampleLimit);
    }
    List<Series> out = new ArrayList<>(samples.size() + 4);
    Set<SeriesLabels> seen = new HashSet<>(samples.size() * 2);
    int duplicates = 0;
    for (Sample s : samples) {
      Series series =
          new Series(
              labels(s.name(), s.labels()),
              s.value(),
              s.timestampMillis() == Sample.NO_TIMESTAMP ? scrapeMillis : s.timestampMillis());
      if (seen.add(series.series())) {
        out.add(series);
      } else {
        duplicates++;
      }
    }
    int stored = out.size();
    synthetic(out, scrapeMillis, 1, durationSeconds, samples.size(), stored);
    return new ScrapeResult(out, true, null, samples.size(), duplicates);
  }

  /**
   * The outcome of a successful scrape parsed through a {@link ScrapeCache}: {@code series} already
   * carry the target labels and are free of duplicates.
   */
  ScrapeResult fromCache(
      List<Series> series, int scraped, int duplicates, long scrapeMillis, double durationSeconds) {
    List<Series> out = new ArrayList<>(series.size() + 4);
    out.addAll(series);
    synthetic(out, scrapeMillis, 1, durationSeconds, scraped, series.size());
    return new ScrapeResult(out, true, null, scraped, duplicates);
  }

  /** The outcome of a scrape that failed: only the synthetic series, with {@code up} 0. */
  public ScrapeResult failure(
      long scrapeMillis, double durationSeconds, int scraped, String reason) {
    List<Series> out = new ArrayList<>(4);
    synthetic(out, scrapeMillis, 0, durationSeconds, scraped, 0);
    return new ScrapeResult(out, false, reason, scraped, 0);
  }

  /** The label set of a series the target exposed, with the target labels applied. */
  String[] labels(String name, String[] scraped) {
    String[] fast = merged(name, scraped);
    return fast != null ? fast : slowLabels(name, scraped);
  }

  /**
   * The common case in one pass: scraped labels and target labels are both sorted, and no name
   * appears in both (and none is {@code __name__}); null otherwise.
   */
  private String[] merged(String name, String[] scraped) {
    String[] out = new String[scraped.length + targetPairs.length + 2];
    int n = 0;
    int i = 0;
    int j = 0;
    boolean nameDone = false;
    while (i < scraped.length || j < targetPairs.length || !nameDone) {
      String a = i < scraped.length ? scraped[i] : null;
      String b = j < targetPairs.length ? targetPairs[j] : null;
      String next = min(min(a, b), nameDone ? null : "__name__");
      if (next.equals(a) && (next.equals(b) || next.equals("__name__"))) {
        return null; // a conflict: the general path decides
      }
      if (next.equals(b) && !nameDone && next.equals("__name__")) {
        return null;
      }
      String value;
      if (next.equals(a)) {
        value = scraped[i + 1];
        i += 2;
      } else if (next.equals(b)) {
        value = targetPairs[j + 1];
        j += 2;
      } else {
        value = name;
        nameDone = true;
      }
      if (!value.isEmpty()) {
        out[n++] = next;
        out[n++] = value;
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private static String min(String a, String b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.compareTo(b) <= 0 ? a : b;
  }

  private String[] slowLabels(String name, String[] scraped) {
    TreeMap<String, String> l = new TreeMap<>();
    for (int i = 0; i < scraped.length; i += 2) {
      l.put(scraped[i], scraped[i + 1]);
    }
    for (Map.Entry<String, String> t : targetLabels.entrySet()) {
      String existing = l.get(t.getKey());
      if (existing == null) {
        l.put(t.getKey(), t.getValue());
      } else if (!honorLabels) {
        String exported = "exported_" + t.getKey();
        while (l.containsKey(exported)) {
          exported = "exported_" + exported;
        }
        l.put(exported, existing);
        l.put(t.getKey(), t.getValue());
      }
    }
    l.put("__name__", name);
    l.values().removeIf(String::isEmpty);
    String[] out = new String[l.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : l.entrySet()) {
      out[i++] = e.getKey();
      out[i++] = e.getValue();
    }
    return out;
  }

  private void synthetic(
      List<Series> out, long ts, double up, double duration, int scraped, int stored) {
    out.add(new Series(labels("up", new String[0]), up, ts));
    out.add(new Series(labels("scrape_duration_seconds", new String[0]), duration, ts));
    out.add(new Series(labels("scrape_samples_scraped", new String[0]), scraped, ts));
    out.add(new Series(labels("scrape_samples_post_metric_relabeling", new String[0]), stored, ts));
  }
}
