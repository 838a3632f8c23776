package io.scrapeshard.worker.scrape;

import java.time.Duration;
import java.util.Objects;

/**
 * How one job's targets are scraped.
 *
 * @param name the job name, for logs
 * @param interval time between two slots of a target
 * @param timeout the deadline of one scrape; at most the interval
 * @param honorLabels whether scraped labels win over target labels
 * @param sampleLimit most samples per scrape; 0 for no limit
 */
public record ScrapeJob(
    String name, Duration interval, Duration timeout, boolean honorLabels, int sampleLimit) {

  public ScrapeJob {
    Objects.requireNonNull(name, "name");
    if (interval == null || interval.toMillis() < 100) {
      throw new IllegalArgumentException("scrape interval must be at least 100ms, got " + interval);
    }
    if (timeout == null
        || timeout.isNegative()
        || timeout.isZero()
        || timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException(
          "scrape timeout must be positive and at most the interval "
              + interval
              + ", got "
              + timeout);
    }
    if (sampleLimit < 0) {
      throw new IllegalArgumentException("sample_limit must be >= 0, got " + sampleLimit);
    }
  }
}
