package io.scrapeshard.bench.simulate;

/** How many series each pod exposes. */
public enum SeriesDistribution {
  /** Every pod the mean. */
  fixed,
  /** Log-normal with the given mean and sigma (of the underlying normal). */
  lognormal,
  /** Pareto with the given mean and shape alpha (> 1): a few pods carry most series. */
  pareto
}
