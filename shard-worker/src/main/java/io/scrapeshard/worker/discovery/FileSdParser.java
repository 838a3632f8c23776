package io.scrapeshard.worker.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scrapeshard.hashing.TargetKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus' file_sd format, JSON ({@code .json}) or YAML ({@code .yml}, {@code .yaml}): a list of
 * groups {@code {targets: ["host:port", ...], labels: {...}}}. The meta labels {@code __scheme__},
 * {@code __metrics_path__} and {@code __param_<name>} set the scheme, path and query parameters;
 * other labels starting with {@code __} are dropped; {@code job} defaults to the configured job and
 * {@code instance} to the address. A target's key is its URL.
 */
final class FileSdParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String job;

  FileSdParser(String job) {
    this.job = job;
  }

  /**
   * The targets of {@code content}, read from {@code file}.
   *
   * @throws IllegalArgumentException naming the group, the field and the bad value
   */
  List<ScrapeTarget> parse(Path file, byte[] content) {
    JsonNode root;
    try {
      String name = file.getFileName().toString();
      root = (name.endsWith(".yml") || name.endsWith(".yaml") ? YAML : JSON).readTree(content);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not valid " + format(file) + ": " + firstLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of(); // an empty file has no targets
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException("must be a list of {targets, labels} groups");
    }
    List<ScrapeTarget> out = new ArrayList<>();
    int index = 0;
    for (JsonNode group : root) {
      out.addAll(group(group, index++));
    }
    return out;
  }

  private List<ScrapeTarget> group(JsonNode group, int index) {
    String where = "group " + index + ": ";
    JsonNode targets = group.get("targets");
    if (targets == null || !targets.isArray()) {
      throw new IllegalArgumentException(where + "targets must be a list of host:port");
    }
    Map<String, String> labels = new TreeMap<>();
    JsonNode labelNode = group.get("labels");
    if (labelNode != null && !labelNode.isNull()) {
      if (!labelNode.isObject()) {
        throw new IllegalArgumentException(where + "labels must be a map");
      }
      for (Map.Entry<String, JsonNode> e : labelNode.properties()) {
        if (!LabelNames.valid(e.getKey())) {
          throw new IllegalArgumentException(where + "invalid label name '" + e.getKey() + "'");
        }
        if (!e.getValue().isValueNode()) {
          throw new IllegalArgumentException(where + "label '" + e.getKey() + "' must be a string");
        }
        labels.put(e.getKey(), e.getValue().asText());
      }
    }
    List<ScrapeTarget> out = new ArrayList<>();
    for (JsonNode t : targets) {
      out.add(target(where, t.asText(), labels));
    }
    return out;
  }

  private ScrapeTarget target(String where, String address, Map<String, String> labels) {
    int colon = address.lastIndexOf(':');
    int port = -1;
    if (colon > 0) {
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (port < 1
        || port > 65535
        || address.chars().anyMatch(Character::isWhitespace)
        || address.contains("/")) {
      throw new IllegalArgumentException(
          where + "target must be host:port with a port 1-65535, got '" + address + "'");
    }
    String scheme = labels.getOrDefault("__scheme__", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          where + "__scheme__ must be http or https, got '" + scheme + "'");
    }
    String path = labels.getOrDefault("__metrics_path__", TargetKey.DEFAULT_PATH);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          where + "__metrics_path__ must start with '/', got '" + path + "'");
    }
    Map<String, List<String>> params = new TreeMap<>();
    Map<String, String> kept = new LinkedHashMap<>();
    labels.forEach(
        (k, v) -> {
          if (k.startsWith("__param_")) {
            params.put(k.substring("__param_".length()), List.of(v));
          } else if (!k.startsWith("__")) {
            kept.put(k, v);
          }
        });
    kept.putIfAbsent("job", job);
    kept.putIfAbsent("instance", address);
    ScrapeTarget draft =
        new ScrapeTarget(TargetKey.of("x"), scheme, address, path, params, kept, "");
    TargetKey key = TargetKey.of(draft.uri().toString());
    return new ScrapeTarget(key, scheme, address, path, params, kept, "");
  }

  private static String format(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yml") || name.endsWith(".yaml") ? "YAML" : "JSON";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
