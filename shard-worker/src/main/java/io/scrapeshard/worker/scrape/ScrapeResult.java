package io.scrapeshard.worker.scrape;

import java.util.List;

/**
 * What one scrape produced.
 *
 * @param series the samples to ship, synthetic series included
 * @param up whether the scrape succeeded
 * @param failure why it failed, or null
 * @param scraped samples in the payload
 * @param duplicates samples dropped because their series appeared twice
 */
public record ScrapeResult(
    List<Series> series, boolean up, String failure, int scraped, int duplicates) {

  public ScrapeResult {
    series = List.copyOf(series);
  }
}
