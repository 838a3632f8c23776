package io.scrapeshard.worker.scrape;

import java.util.Arrays;

/**
 * One sample ready to ship: the full label set (including {@code __name__}, sorted by name), the
 * value and the timestamp in milliseconds.
 *
 * @param labels alternating names and values, sorted by name
 */
public record Series(String[] labels, double value, long timestampMillis) {

  /** Prometheus' staleness marker: a NaN with this exact bit pattern. */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  /** Whether {@code value} is the staleness marker (not any NaN). */
  public static boolean isStale(double value) {
    return Double.doubleToRawLongBits(value) == 0x7ff0000000000002L;
  }

  /** The value of label {@code name}, or null. */
  public String label(String name) {
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
        && Arrays.equals(s.labels, labels)
        && Double.doubleToRawLongBits(s.value) == Double.doubleToRawLongBits(value)
        && s.timestampMillis == timestampMillis;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(labels) * 31 + Long.hashCode(timestampMillis);
  }

  @Override
  public String toString() {
    return Arrays.toString(labels) + " " + value + " @" + timestampMillis;
  }
}
