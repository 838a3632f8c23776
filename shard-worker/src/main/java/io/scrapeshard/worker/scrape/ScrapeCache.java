package io.scrapeshard.worker.scrape;

import io.scrapeshard.worker.exposition.Sample;
import io.scrapeshard.worker.exposition.TextParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One target's series, keyed by their raw text as exposed (as Prometheus' scrape cache does): a
 * series seen in an earlier scrape costs a byte comparison instead of a label parse, a merge with
 * the target labels and a hash of its label set. The same structure finds duplicate series within a
 * scrape and the series that vanished since the previous one (for staleness markers).
 *
 * <p>Not thread-safe: one target's scrapes are delivered one at a time.
 */
final class ScrapeCache implements TextParser.SeriesSink {

  private static final class Entry {
    final SeriesLabels labels;
    long lastSeen;

    Entry(String[] labels) {
      this.labels = new SeriesLabels(labels);
    }
  }

  /** A byte range; stored keys own their bytes, the probe points into the payload. */
  private static class Range {
    byte[] b;
    int off;
    int len;
    int hash;

    Range set(byte[] bytes, int offset, int length) {
      b = bytes;
      off = offset;
      len = length;
      int h = 1;
      for (int i = offset; i < offset + length; i++) {
        h = 31 * h + bytes[i];
      }
      hash = h;
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Range r
          && r.hash == hash
          && Arrays.equals(b, off, off + len, r.b, r.off, r.off + r.len);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final Map<Range, Entry> entries = new HashMap<>();
  private final Range probe = new Range();
  private ScrapeProcessor processor;
  private Map<String, String> targetLabels;
  private long scrape;
  private long slotMillis;
  private List<Series> out;
  private int samples;
  private int duplicates;
  private int seen;

  /** Starts a scrape at {@code slot}; a change of target labels forgets every series. */
  void begin(ScrapeProcessor p, Map<String, String> labels, long slot) {
    if (!labels.equals(targetLabels)) {
      entries.clear();
      targetLabels = labels;
    }
    processor = p;
    scrape++;
    slotMillis = slot;
    out = new ArrayList<>(Math.max(16, entries.size() + 8));
    samples = 0;
    duplicates = 0;
    seen = 0;
  }

  @Override
  public Object known(byte[] b, int off, int len) {
    return entries.get(probe.set(b, off, len));
  }

  @Override
  public Object learn(byte[] b, int off, int len, String name, String[] labels) {
    Entry e = new Entry(processor.labels(name, labels));
    entries.put(new Range().set(Arrays.copyOfRange(b, off, off + len), 0, len), e);
    return e;
  }

  @Override
  public void sample(Object handle, double value, long timestampMillis) {
    samples++;
    Entry e = (Entry) handle;
    if (e.lastSeen == scrape) {
      duplicates++;
      return;
    }
    e.lastSeen = scrape;
    seen++;
    out.add(
        new Series(
            e.labels,
            value,
            timestampMillis == Sample.NO_TIMESTAMP ? slotMillis : timestampMillis));
  }

  List<Series> series() {
    return out;
  }

  int samples() {
    return samples;
  }

  int duplicates() {
    return duplicates;
  }

  /**
   * Ends the scrape: staleness markers for the series of the previous scrape that are missing now
   * (all of them if this scrape failed); series not seen now are forgotten.
   */
  List<Series> finish(boolean succeeded) {
    if (succeeded && seen == entries.size()) {
      // every known series was seen now (the usual case): nothing went stale, nothing to forget
      return new ArrayList<>();
    }
    List<Series> stale = new ArrayList<>();
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      boolean seenNow = succeeded && e.lastSeen == scrape;
      if (!seenNow) {
        if (e.lastSeen == scrape - 1 || (!succeeded && e.lastSeen == scrape)) {
          stale.add(new Series(e.labels, Series.STALE_NAN, slotMillis));
        }
        it.remove();
      }
    }
    return stale;
  }

  /** The target moved away or vanished: forget everything (the caller decides on staleness). */
  List<SeriesLabels> forgetAll() {
    List<SeriesLabels> last = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.lastSeen == scrape) {
        last.add(e.labels);
      }
    }
    entries.clear();
    return last;
  }
}
