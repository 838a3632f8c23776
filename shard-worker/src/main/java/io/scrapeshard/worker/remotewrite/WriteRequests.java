package io.scrapeshard.worker.remotewrite;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.scrapeshard.worker.scrape.Series;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote-write 1.0 request bodies: a {@code prometheus.WriteRequest} protobuf (field
 * numbers from the published {@code remote.proto}/{@code types.proto}: {@code
 * WriteRequest.timeseries = 1}; {@code TimeSeries.labels = 1, samples = 2}; {@code Label.name = 1,
 * value = 2}; {@code Sample.value = 1, timestamp = 2}), snappy block-compressed. Each sample is one
 * {@code TimeSeries}, as Prometheus' own sender does; the body is written in one pass into an
 * exactly sized array.
 */
public final class WriteRequests {

  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private WriteRequests() {}

  /**
   * The compressed body for {@code batch}, with {@code externalLabels} added to every series that
   * does not carry them already. A series' encoded labels are kept with its {@link
   * io.scrapeshard.worker.scrape.SeriesLabels}, which a scrape cache hands out for the same series
   * at every scrape, so they are encoded once per series, not once per sample.
   */
  public static byte[] encode(List<Series> batch, Map<String, String> externalLabels) {
    try {
      return Snappy.compress(protobuf(batch, externalLabels));
    } catch (IOException e) {
      throw new UncheckedIOException("snappy compression failed", e);
    }
  }

  static byte[] protobuf(List<Series> batch, Map<String, String> externalLabels)
      throws IOException {
    byte[][] labels = new byte[batch.size()][];
    int[] seriesSizes = new int[batch.size()];
    int total = 0;
    java.util.function.Function<String[], byte[]> encoder =
        l -> encodedLabels(withExternal(l, externalLabels));
    for (int i = 0; i < labels.length; i++) {
      Series s = batch.get(i);
      labels[i] = s.series().encoded(externalLabels, encoder);
      int sample = sampleSize(s);
      seriesSizes[i] =
          labels[i].length
              + CodedOutputStream.computeTagSize(2)
              + CodedOutputStream.computeUInt32SizeNoTag(sample)
              + sample;
      total +=
          CodedOutputStream.computeTagSize(1)
              + CodedOutputStream.computeUInt32SizeNoTag(seriesSizes[i])
              + seriesSizes[i];
    }
    byte[] body = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(body);
    for (int i = 0; i < labels.length; i++) {
      Series s = batch.get(i);
      out.writeTag(1, LENGTH_DELIMITED);
      out.writeUInt32NoTag(seriesSizes[i]);
      out.writeRawBytes(labels[i]);
      out.writeTag(2, LENGTH_DELIMITED);
      out.writeUInt32NoTag(sampleSize(s));
      out.writeDouble(1, s.value());
      out.writeInt64(2, s.timestampMillis());
    }
    out.checkNoSpaceLeft();
    return body;
  }

  /** The {@code TimeSeries.labels} fields of a label set, tags and lengths included. */
  private static byte[] encodedLabels(String[] l) {
    int size = 0;
    for (int j = 0; j < l.length; j += 2) {
      int n = labelSize(l[j], l[j + 1]);
      size += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(n) + n;
    }
    byte[] out = new byte[size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (int j = 0; j < l.length; j += 2) {
        o.writeTag(1, LENGTH_DELIMITED);
        o.writeUInt32NoTag(labelSize(l[j], l[j + 1]));
        o.writeString(1, l[j]);
        o.writeString(2, l[j + 1]);
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static int labelSize(String name, String value) {
    return CodedOutputStream.computeStringSize(1, name)
        + CodedOutputStream.computeStringSize(2, value);
  }

  private static int sampleSize(Series s) {
    return CodedOutputStream.computeDoubleSize(1, s.value())
        + CodedOutputStream.computeInt64Size(2, s.timestampMillis());
  }

  private static String[] withExternal(String[] labels, Map<String, String> external) {
    if (external.isEmpty()) {
      return labels;
    }
    TreeMap<String, String> all = new TreeMap<>(external);
    for (int i = 0; i < labels.length; i += 2) {
      all.put(labels[i], labels[i + 1]); // the series' own label wins
    }
    String[] out = new String[all.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : all.entrySet()) {
      out[i++] = e.getKey();
      out[i++] = e.getValue();
    }
    return out;
  }
}
