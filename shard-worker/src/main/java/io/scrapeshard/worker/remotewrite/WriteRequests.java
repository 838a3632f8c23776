package io.scrapeshard.worker.remotewrite;

import com.google.protobuf.CodedOutputStream;
import io.scrapeshard.worker.scrape.Series;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote-write 1.0 request bodies: a {@code prometheus.WriteRequest} protobuf (field
 * numbers from the published {@code remote.proto}/{@code types.proto}: {@code
 * WriteRequest.timeseries = 1}; {@code TimeSeries.labels = 1, samples = 2}; {@code Label.name = 1,
 * value = 2}; {@code Sample.value = 1, timestamp = 2}), snappy block-compressed. Samples of one
 * series are grouped into one {@code TimeSeries}, in the order given.
 */
public final class WriteRequests {

  private WriteRequests() {}

  /**
   * The compressed body for {@code batch}, with {@code externalLabels} added to every series that
   * does not carry them already.
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
    Map<String, List<Series>> bySeries = new LinkedHashMap<>();
    for (Series s : batch) {
      bySeries.computeIfAbsent(s.identity(), k -> new ArrayList<>()).add(s);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(batch.size() * 64);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (List<Series> samples : bySeries.values()) {
      byte[] ts = timeSeries(withExternal(samples.get(0).labels(), externalLabels), samples);
      out.writeByteArray(1, ts);
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] timeSeries(String[] labels, List<Series> samples) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (int i = 0; i < labels.length; i += 2) {
      out.writeByteArray(1, label(labels[i], labels[i + 1]));
    }
    for (Series s : samples) {
      out.writeByteArray(2, sample(s.value(), s.timestampMillis()));
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] label(String name, String value) throws IOException {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    byte[] buf = new byte[n.length + v.length + 16];
    CodedOutputStream out = CodedOutputStream.newInstance(buf);
    out.writeByteArray(1, n);
    out.writeByteArray(2, v);
    return java.util.Arrays.copyOf(buf, out.getTotalBytesWritten());
  }

  private static byte[] sample(double value, long timestamp) throws IOException {
    byte[] buf = new byte[20];
    CodedOutputStream out = CodedOutputStream.newInstance(buf);
    out.writeDouble(1, value);
    out.writeInt64(2, timestamp);
    return java.util.Arrays.copyOf(buf, out.getTotalBytesWritten());
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
