package io.scrapeshard.worker.scrape;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * A series' full label set (alternating names and values, sorted by name), made once per series and
 * kept by the scrape cache across scrapes, with what the output needs of it computed once: the hash
 * that picks the remote-write shard and the label set's encoded protobuf bytes. Instances are
 * shared between threads; the cached encoding is published through a volatile field.
 */
public final class SeriesLabels {

  private final String[] labels;
  private final int hash;
  private volatile Encoded encoded;

  private record Encoded(Map<String, String> external, byte[] bytes) {}

  public SeriesLabels(String[] labels) {
    this.labels = labels;
    this.hash = Arrays.hashCode(labels);
  }

  /** The labels; callers must not modify the array. */
  public String[] labels() {
    return labels;
  }

  /** {@link Arrays#hashCode(Object[])} of the labels, computed once. */
  public int hash() {
    return hash;
  }

  /**
   * The labels encoded by {@code encoder} for {@code external} labels, computed on the first call
   * and again only when a different external label map is passed.
   */
  public byte[] encoded(Map<String, String> external, Function<String[], byte[]> encoder) {
    Encoded e = encoded;
    if (e == null || e.external != external) {
      e = new Encoded(external, encoder.apply(labels));
      encoded = e;
    }
    return e.bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesLabels l && l.hash == hash && Arrays.equals(l.labels, labels);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return Arrays.toString(labels);
  }
}
