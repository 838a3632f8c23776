package io.scrapeshard.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML tree key by key, with overrides, collecting every problem instead of stopping at the
 * first. A scalar at path {@code a.b} (list items are {@code a[0].b}) is taken, in order of
 * precedence, from a {@code --set a.b=value} flag, the environment variable {@code
 * SCRAPE_SHARD_A_B} (camelCase becomes {@code CAMEL_CASE}, {@code [0]} becomes {@code _0}), the
 * file, or the default. Keys that no reader asked for are reported as unknown.
 */
final class ConfigReader {

  static final String ENV_PREFIX = "SCRAPE_SHARD_";

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, String> flags;
  private final Map<String, String> env;
  private final Set<String> usedFlags = new HashSet<>();
  private final Set<String> usedEnv = new HashSet<>();
  final List<String> problems = new ArrayList<>();

  ConfigReader(Map<String, String> flags, Map<String, String> env) {
    this.flags = flags;
    this.env = env;
  }

  /** An object of the tree at {@code path}. */
  Obj root(JsonNode node) {
    if (node != null && !node.isMissingNode() && !node.isNull() && !node.isObject()) {
      problems.add("the file must be a mapping of keys, got " + node.getNodeType());
      node = MissingNode.getInstance();
    }
    return new Obj("", node == null ? MissingNode.getInstance() : node);
  }

  /** Flags and environment variables that named no known key. */
  void reportUnused() {
    for (String key : new TreeSet<>(flags.keySet())) {
      if (!usedFlags.contains(key)) {
        problems.add("--set " + key + ": unknown key");
      }
    }
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith(ENV_PREFIX) && !usedEnv.contains(name)) {
        problems.add("environment variable " + name + ": names no configuration key");
      }
    }
  }

  static String envName(String path) {
    return ENV_PREFIX
        + path.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
            .replace("[", "_")
            .replace("]", "")
            .replace('.', '_')
            .toUpperCase(Locale.ROOT);
  }

  /** A Prometheus duration such as {@code 30s}, {@code 1m30s}, {@code 500ms}. */
  static Duration parseDuration(String s) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher m = DURATION.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (m.find() && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
      at = m.end();
    }
    if (at != s.length()) {
      throw new IllegalArgumentException("not a duration like 30s, 1m30s or 500ms");
    }
    return total;
  }

  /** A duration as Prometheus writes it: {@code 1m30s}, {@code 500ms}. */
  static String format(Duration d) {
    long ms = d.toMillis();
    StringBuilder b = new StringBuilder();
    long[] units = {3_600_000, 60_000, 1000, 1};
    String[] names = {"h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (ms >= units[i] || (d.toMillis() == 0 && i == units.length - 1)) {
        b.append(ms / units[i]).append(names[i]);
        ms %= units[i];
      }
    }
    return b.toString();
  }

  /** One mapping of the tree, with the keys read from it so far. */
  final class Obj {
    private final String path;
    private final JsonNode node;
    private final Set<String> known = new TreeSet<>();

    Obj(String path, JsonNode node) {
      this.path = path;
      this.node = node;
    }

    String path(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    /** The raw scalar text at {@code key} after overrides, or null when absent. */
    private String raw(String key) {
      known.add(key);
      String p = path(key);
      String e = envName(p);
      if (env.containsKey(e)) {
        usedEnv.add(e);
      }
      if (flags.containsKey(p)) {
        usedFlags.add(p);
        return flags.get(p);
      }
      if (env.containsKey(e)) {
        return env.get(e);
      }
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isValueNode()) {
        problems.add(p + ": expected a single value, got " + v.getNodeType());
        return null;
      }
      return v.asText();
    }

    <T> T value(String key, T fallback, String expected, Function<String, T> parse) {
      String raw = raw(key);
      if (raw == null) {
        return fallback;
      }
      try {
        return parse.apply(raw.strip());
      } catch (RuntimeException e) {
        problems.add(
            path(key)
                + ": '"
                + raw
                + "' is not "
                + expected
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        return fallback;
      }
    }

    String string(String key, String fallback) {
      String v = raw(key);
      return v == null ? fallback : v;
    }

    boolean bool(String key, boolean fallback) {
      return value(
          key,
          fallback,
          "true or false",
          s -> {
            if (s.equals("true") || s.equals("false")) {
              return Boolean.parseBoolean(s);
            }
            throw new IllegalArgumentException((String) null);
          });
    }

    long integer(String key, long fallback, long min, long max) {
      long v = value(key, fallback, "an integer", Long::parseLong);
      if (v < min || v > max) {
        problems.add(path(key) + ": " + v + " is out of range " + min + "-" + max);
        return fallback;
      }
      return v;
    }

    double number(String key, double fallback) {
      return value(key, fallback, "a number", Double::parseDouble);
    }

    Duration duration(String key, Duration fallback) {
      return value(key, fallback, "a duration", ConfigReader::parseDuration);
    }

    /** A list of strings; env and flags give it comma-separated. */
    List<String> strings(String key) {
      known.add(key);
      String p = path(key);
      String override = null;
      if (env.containsKey(envName(p))) {
        usedEnv.add(envName(p));
      }
      if (flags.containsKey(p)) {
        usedFlags.add(p);
        override = flags.get(p);
      } else if (env.containsKey(envName(p))) {
        usedEnv.add(envName(p));
        override = env.get(envName(p));
      }
      if (override != null) {
        List<String> out = new ArrayList<>();
        for (String s : override.split(",")) {
          if (!s.isBlank()) {
            out.add(s.strip());
          }
        }
        return out;
      }
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        problems.add(p + ": expected a list, got " + v.getNodeType());
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isValueNode() || v.get(i).isNull()) {
          problems.add(p + "[" + i + "]: expected a string, got " + v.get(i).getNodeType());
        } else {
          out.add(v.get(i).asText());
        }
      }
      return out;
    }

    /** A mapping of strings to strings (labels, headers); not overridable one by one. */
    Map<String, String> stringMap(String key) {
      known.add(key);
      JsonNode v = node.get(key);
      Map<String, String> out = new LinkedHashMap<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (!v.isObject()) {
        problems.add(path(key) + ": expected a mapping, got " + v.getNodeType());
        return out;
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          problems.add(path(key) + "." + e.getKey() + ": expected a string");
        } else {
          out.put(e.getKey(), e.getValue().asText());
        }
      }
      return out;
    }

    boolean has(String key) {
      return node.has(key) && !node.get(key).isNull();
    }

    Obj child(String key) {
      known.add(key);
      JsonNode v = node.get(key);
      if (v != null && !v.isNull() && !v.isObject()) {
        problems.add(path(key) + ": expected a mapping, got " + v.getNodeType());
        v = null;
      }
      return new Obj(path(key), v == null || v.isNull() ? MissingNode.getInstance() : v);
    }

    /** The mappings of a list. */
    List<Obj> children(String key) {
      known.add(key);
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return List.of();
      }
      if (!v.isArray()) {
        problems.add(path(key) + ": expected a list, got " + v.getNodeType());
        return List.of();
      }
      List<Obj> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        if (!item.isObject()) {
          problems.add(path(key) + "[" + i + "]: expected a mapping, got " + item.getNodeType());
        } else {
          out.add(new Obj(path + (path.isEmpty() ? "" : ".") + key + "[" + i + "]", item));
        }
      }
      return out;
    }

    void problem(String key, String message) {
      problems.add(path(key) + ": " + message);
    }

    /** Reports keys in the file that were never read. Call after reading everything. */
    void rejectUnknown() {
      node.fieldNames()
          .forEachRemaining(
              k -> {
                if (!known.contains(k)) {
                  problems.add(path(k) + ": unknown key (known here: " + known + ")");
                }
              });
    }
  }
}
