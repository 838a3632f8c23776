package io.scrapeshard.worker.remotewrite;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Options of a {@link RemoteWriteQueue}.
 *
 * <pre>{@code
 * RemoteWriteOptions o = RemoteWriteOptions.builder(URI.create("http://prometheus:9090/api/v1/write")).shards(4).build();
 * }</pre>
 *
 * @param url the receiver's endpoint
 * @param shards parallel senders (each keeps its series in order); default 4
 * @param capacity samples queued at most, over all shards (the memory bound); default 100,000
 * @param maxBatch samples per request at most; default 2,000
 * @param batchDeadline how long a partial batch waits for more; default 1 s
 * @param minBackoff first retry delay; default 30 ms
 * @param maxBackoff longest retry delay; default 5 s
 * @param timeout connect and request timeout; default 30 s
 * @param externalLabels labels added to every series that lacks them; default none
 * @param headers extra request headers (such as {@code Authorization}); default none
 */
public record RemoteWriteOptions(
    URI url,
    int shards,
    int capacity,
    int maxBatch,
    Duration batchDeadline,
    Duration minBackoff,
    Duration maxBackoff,
    Duration timeout,
    Map<String, String> externalLabels,
    Map<String, String> headers) {

  public RemoteWriteOptions {
    Objects.requireNonNull(url, "url");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException(
          "remote write url must be http or https, got '" + url + "'");
    }
    if (shards < 1 || shards > 256) {
      throw new IllegalArgumentException("shards must be 1-256, got " + shards);
    }
    if (capacity < shards) {
      throw new IllegalArgumentException(
          "capacity must be at least the shard count, got " + capacity);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    for (Duration d : new Duration[] {batchDeadline, minBackoff, maxBackoff, timeout}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive, got " + d);
      }
    }
    externalLabels = Map.copyOf(new TreeMap<>(externalLabels));
    headers = Map.copyOf(headers);
  }

  /** Options with the defaults above. */
  public static Builder builder(URI url) {
    return new Builder(url);
  }

  /** A builder with the documented defaults. */
  public static final class Builder {
    private final URI url;
    private int shards = 4;
    private int capacity = 100_000;
    private int maxBatch = 2_000;
    private Duration batchDeadline = Duration.ofSeconds(1);
    private Duration minBackoff = Duration.ofMillis(30);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(30);
    private Map<String, String> externalLabels = Map.of();
    private Map<String, String> headers = Map.of();

    private Builder(URI url) {
      this.url = url;
    }

    public Builder shards(int v) {
      shards = v;
      return this;
    }

    public Builder capacity(int v) {
      capacity = v;
      return this;
    }

    public Builder maxBatch(int v) {
      maxBatch = v;
      return this;
    }

    public Builder batchDeadline(Duration v) {
      batchDeadline = v;
      return this;
    }

    public Builder backoff(Duration min, Duration max) {
      minBackoff = min;
      maxBackoff = max;
      return this;
    }

    public Builder timeout(Duration v) {
      timeout = v;
      return this;
    }

    public Builder externalLabels(Map<String, String> v) {
      externalLabels = v;
      return this;
    }

    public Builder headers(Map<String, String> v) {
      headers = v;
      return this;
    }

    public RemoteWriteOptions build() {
      return new RemoteWriteOptions(
          url,
          shards,
          capacity,
          maxBatch,
          batchDeadline,
          minBackoff,
          maxBackoff,
          timeout,
          externalLabels,
          headers);
    }
  }
}
