package io.scrapeshard.bench.simulate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one strategy in one simulation. Fractions are of all targets.
 *
 * @param targetsPerScraper targets of each scraper before any event, in scraper order
 * @param seriesPerScraper series of each scraper before any event, in scraper order
 */
public record Result(
    String strategy,
    int scrapers,
    double targetsMaxOverMean,
    double targetsCv,
    double seriesMaxOverMean,
    double seriesCv,
    double movedOnAdd,
    double movedOnAddOptimal,
    double movedOnRemove,
    double movedBetweenSurvivorsOnRemove,
    double movedOnCrash,
    double movedBetweenSurvivorsOnCrash,
    double assignMillis,
    int[] targetsPerScraper,
    long[] seriesPerScraper) {

  /** The figure names, in report order. */
  public static final String[] FIGURES = {
    "scrapers",
    "targetsMaxOverMean",
    "targetsCv",
    "seriesMaxOverMean",
    "seriesCv",
    "movedOnAdd",
    "movedOnAddOptimal",
    "movedOnRemove",
    "movedBetweenSurvivorsOnRemove",
    "movedOnCrash",
    "movedBetweenSurvivorsOnCrash",
    "assignMillis"
  };

  /** The strategy and its figures by name; an undefined figure (NaN) is null. */
  public Map<String, Object> figures() {
    Object[] values = {
      scrapers,
      targetsMaxOverMean,
      targetsCv,
      seriesMaxOverMean,
      seriesCv,
      movedOnAdd,
      movedOnAddOptimal,
      movedOnRemove,
      movedBetweenSurvivorsOnRemove,
      movedOnCrash,
      movedBetweenSurvivorsOnCrash,
      assignMillis
    };
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("strategy", strategy);
    for (int i = 0; i < FIGURES.length; i++) {
      Object v = values[i];
      map.put(FIGURES[i], v instanceof Double d && !Double.isFinite(d) ? null : v);
    }
    return map;
  }
}
