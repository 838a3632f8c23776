package io.scrapeshard.worker.exposition;

import java.util.Arrays;
import java.util.Objects;

/**
 * One scraped sample: a series (metric name plus label pairs, sorted by name) and a value.
 *
 * @param name the metric name, as exposed ({@code http_requests_total}, {@code foo_bucket})
 * @param labels alternating names and values, sorted by name; never contains {@code __name__}
 * @param value the value; NaN and ±Inf allowed
 * @param timestampMillis the exposed timestamp in milliseconds, or {@link #NO_TIMESTAMP}
 */
public record Sample(String name, String[] labels, double value, long timestampMillis) {

  /** No timestamp was exposed: the scrape time applies. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  public Sample {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labels, "labels");
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException(
          "labels must be name/value pairs, got " + labels.length + " strings");
    }
  }

  /** The value of label {@code labelName}, or null. */
  public String label(String labelName) {
    for (int i = 0; i < labels.length; i += 2) {
      if (labels[i].equals(labelName)) {
        return labels[i + 1];
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s
        && s.name.equals(name)
        && Arrays.equals(s.labels, labels)
        && Double.compare(s.value, value) == 0
        && s.timestampMillis == timestampMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(labels), value, timestampMillis);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(name).append('{');
    for (int i = 0; i < labels.length; i += 2) {
      b.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
    }
    b.append("} ").append(value);
    if (timestampMillis != NO_TIMESTAMP) {
      b.append(' ').append(timestampMillis);
    }
    return b.toString();
  }
}
