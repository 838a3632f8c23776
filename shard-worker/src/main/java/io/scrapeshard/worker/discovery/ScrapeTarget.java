package io.scrapeshard.worker.discovery;

import io.scrapeshard.hashing.TargetKey;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * One endpoint to scrape, as discovery found it.
 *
 * <pre>{@code
 * ScrapeTarget t = new ScrapeTarget(TargetKey.ofPod("default", "web-0", 8080, "/metrics"), "http",
 *     "10.0.0.7:8080", "/metrics", Map.of(), Map.of("job", "kubernetes-pods"), "node-1");
 * URI uri = t.uri(); // http://10.0.0.7:8080/metrics
 * }</pre>
 *
 * @param key the stable identity that is hashed
 * @param scheme {@code http} or {@code https}
 * @param address {@code host:port}
 * @param path starts with {@code /}
 * @param params query parameters, each name with one or more values
 * @param labels the target's labels (sorted), attached to every sample
 * @param node the node the pod runs on; empty when unknown
 */
public record ScrapeTarget(
    TargetKey key,
    String scheme,
    String address,
    String path,
    Map<String, List<String>> params,
    Map<String, String> labels,
    String node) {

  public ScrapeTarget {
    Objects.requireNonNull(key, "key");
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("scheme must be http or https, got '" + scheme + "'");
    }
    Objects.requireNonNull(address, "address");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
    }
    Map<String, List<String>> p = new TreeMap<>();
    params.forEach((k, v) -> p.put(k, List.copyOf(v)));
    params = java.util.Collections.unmodifiableMap(p);
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    node = node == null ? "" : node;
  }

  /** The URL to scrape. */
  public URI uri() {
    StringBuilder url = new StringBuilder(scheme).append("://").append(address).append(path);
    if (!params.isEmpty()) {
      StringJoiner query = new StringJoiner("&", "?", "");
      params.forEach(
          (name, values) ->
              values.forEach(
                  v ->
                      query.add(
                          URLEncoder.encode(name, StandardCharsets.UTF_8)
                              + "="
                              + URLEncoder.encode(v, StandardCharsets.UTF_8))));
      url.append(query);
    }
    return URI.create(url.toString());
  }
}
