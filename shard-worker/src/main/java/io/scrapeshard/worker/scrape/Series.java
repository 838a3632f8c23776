package io.scrapeshard.worker.scrape;

import java.util.Arrays;

/**
 * One sample ready to ship: the full label set (including {@code __name__}, sorted by name), the
 * value and the timestamp in milliseconds. Samples of the same series from a scrape cache share one
 * {@link SeriesLabels}, so its shard hash and encoding are computed once per series, not per
 * sample.
 */
public final class Series {

  /** Prometheus' staleness marker: a NaN with this exact bit pattern. */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private final SeriesLabels series;
  private final double value;
  private final long timestampMillis;

  public Series(SeriesLabels series, double value, long timestampMillis) {
    this.series = series;
    this.value = value;
    this.timestampMillis = timestampMillis;
  }

  /**
   * @param labels alternating names and values, sorted by name
   */
  public Series(String[] labels, double value, long timestampMillis) {
    this(new SeriesLabels(labels), value, timestampMillis);
  }

  /** Whether {@code value} is the staleness marker (not any NaN). */
  public static boolean isStale(double value) {
    return Double.doubleToRawLongBits(value) == 0x7ff0000000000002L;
  }

  /** Alternating names and values, sorted by name; callers must not modify the array. */
  public String[] labels() {
    return series.labels();
  }

  /** The label set with its cached hash and encoding. */
  public SeriesLabels series() {
    return series;
  }

  public double value() {
    return value;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  /** The value of label {@code name}, or null. */
  public String label(String name) {
    String[] labels = series.labels();
    for (int i = 0; i < labels.length; i += 2) {
      if (labels[i].equals(name)) {
        return labels[i + 1];
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s
        && s.series.equals(series)
        && Double.doubleToRawLongBits(s.value) == Double.doubleToRawLongBits(value)
        && s.timestampMillis == timestampMillis;
  }

  @Override
  public int hashCode() {
    return series.hashCode() * 31 + Long.hashCode(timestampMillis);
  }

  @Override
  public String toString() {
    return Arrays.toString(series.labels()) + " " + value + " @" + timestampMillis;
  }
}
