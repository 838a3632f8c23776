package io.scrapeshard.bench.simulate;

import java.util.Arrays;

/** Load figures over scrapers. */
final class Stats {

  private Stats() {}

  static double maxOverMean(int[] values) {
    return maxOverMean(Arrays.stream(values).asLongStream().toArray());
  }

  static double maxOverMean(long[] values) {
    double mean = Arrays.stream(values).average().orElse(Double.NaN);
    return Arrays.stream(values).max().orElse(0) / mean;
  }

  static double cv(int[] values) {
    return cv(Arrays.stream(values).asLongStream().toArray());
  }

  /** Population standard deviation over mean. */
  static double cv(long[] values) {
    double mean = Arrays.stream(values).average().orElse(Double.NaN);
    double variance =
        Arrays.stream(values).mapToDouble(v -> (v - mean) * (v - mean)).sum() / values.length;
    return Math.sqrt(variance) / mean;
  }
}
