package io.scrapeshard.worker.scrape;

import java.util.Arrays;

/** A label set as a map key: array equality, without joining the labels into a string. */
public record LabelSet(String[] labels) {

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSet l && Arrays.equals(l.labels, labels);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return Arrays.toString(labels);
  }
}
