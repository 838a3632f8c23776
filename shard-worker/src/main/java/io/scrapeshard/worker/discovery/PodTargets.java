package io.scrapeshard.worker.discovery;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.scrapeshard.hashing.TargetKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a pod into its scrape target, reading the annotations as the Kyma metric agent (and the
 * common {@code kubernetes-pods} scrape config) reads them:
 *
 * <ul>
 *   <li>{@code prometheus.io/scrape: "true"} — required;
 *   <li>{@code prometheus.io/port} — required, 1-65535;
 *   <li>{@code prometheus.io/path} — default {@code /metrics};
 *   <li>{@code prometheus.io/scheme} — {@code http} (default) or {@code https};
 *   <li>{@code prometheus.io/param_<name>} — a query parameter.
 * </ul>
 *
 * <p>Only pods that are Running, have an IP and are not being deleted become targets. A target's
 * labels: {@code job}, {@code namespace}, {@code pod}, {@code node}, {@code container} (the
 * container that declares the port, if any), {@code instance} ({@code ip:port}), and, if enabled,
 * the pod's labels with their names sanitised to valid Prometheus label names (never overriding the
 * former). Pure and thread-safe.
 */
public final class PodTargets {

  static final String PREFIX = "prometheus.io/";
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9_.\\-\\[\\]]+");
  private static final List<String> RESERVED =
      List.of("job", "namespace", "pod", "node", "container", "instance");

  private final String job;
  private final boolean podLabels;

  /**
   * @param job the {@code job} label of every pod target
   * @param podLabels whether the pod's labels are copied onto its target
   */
  public PodTargets(String job, boolean podLabels) {
    if (job == null || job.isBlank()) {
      throw new IllegalArgumentException("job must not be blank, got '" + job + "'");
    }
    this.job = job;
    this.podLabels = podLabels;
  }

  /** What a pod yields: nothing (not annotated or not running), a target, or a rejection. */
  public sealed interface Result {}

  /** Not a target, and nothing wrong with that. */
  public record Ignored(String why) implements Result {}

  /** A target. */
  public record Target(ScrapeTarget target) implements Result {}

  /** Annotated for scraping, but an annotation is bad. */
  public record Invalid(InvalidTargetReason reason, String message) implements Result {}

  /** The result for {@code pod}. */
  public Result of(Pod pod) {
    Map<String, String> annotations = orEmpty(pod.getMetadata().getAnnotations());
    if (!"true".equals(annotations.get(PREFIX + "scrape"))) {
      return new Ignored("not annotated prometheus.io/scrape: \"true\"");
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return new Ignored("terminating");
    }
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return new Ignored("not Running");
    }
    String ip = pod.getStatus().getPodIP();
    if (ip == null || ip.isBlank()) {
      return new Ignored("no pod IP");
    }
    return target(pod, annotations, ip);
  }

  private Result target(Pod pod, Map<String, String> annotations, String ip) {
    String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    String portText = annotations.get(PREFIX + "port");
    if (portText == null) {
      return new Invalid(
          InvalidTargetReason.PORT_MISSING, "pod " + name + ": prometheus.io/port is required");
    }
    int port;
    try {
      port = Integer.parseInt(portText.strip());
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      return new Invalid(
          InvalidTargetReason.PORT_INVALID,
          "pod " + name + ": prometheus.io/port must be 1-65535, got '" + portText + "'");
    }
    String scheme = annotations.getOrDefault(PREFIX + "scheme", "http").strip();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new Invalid(
          InvalidTargetReason.SCHEME_INVALID,
          "pod " + name + ": prometheus.io/scheme must be http or https, got '" + scheme + "'");
    }
    String path = annotations.getOrDefault(PREFIX + "path", TargetKey.DEFAULT_PATH).strip();
    if (!path.startsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
      return new Invalid(
          InvalidTargetReason.PATH_INVALID,
          "pod "
              + name
              + ": prometheus.io/path must start with '/' and have no spaces, got '"
              + path
              + "'");
    }
    Map<String, List<String>> params = new TreeMap<>();
    for (Map.Entry<String, String> a : annotations.entrySet()) {
      if (a.getKey().startsWith(PREFIX + "param_")) {
        String param = a.getKey().substring((PREFIX + "param_").length());
        if (!PARAM_NAME.matcher(param).matches()) {
          return new Invalid(
              InvalidTargetReason.PARAM_NAME_INVALID,
              "pod " + name + ": invalid query parameter name in annotation '" + a.getKey() + "'");
        }
        params.put(param, List.of(a.getValue()));
      }
    }
    String node = orEmpty(pod.getSpec() == null ? null : pod.getSpec().getNodeName());
    TargetKey key =
        TargetKey.ofPod(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), port, path);
    String address = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    return new Target(
        new ScrapeTarget(
            key, scheme, address, path, params, labels(pod, port, node, address), node));
  }

  private Map<String, String> labels(Pod pod, int port, String node, String address) {
    Map<String, String> labels = new TreeMap<>();
    if (podLabels) {
      orEmpty(pod.getMetadata().getLabels())
          .forEach(
              (k, v) -> {
                String sanitized = LabelNames.sanitize(k);
                if (!RESERVED.contains(sanitized)) {
                  labels.put(sanitized, v);
                }
              });
    }
    labels.put("job", job);
    labels.put("namespace", pod.getMetadata().getNamespace());
    labels.put("pod", pod.getMetadata().getName());
    labels.put("instance", address);
    if (!node.isEmpty()) {
      labels.put("node", node);
    }
    container(pod, port).ifPresent(c -> labels.put("container", c));
    return labels;
  }

  private static Optional<String> container(Pod pod, int port) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return Optional.empty();
    }
    List<Container> containers =
        new ArrayList<>(pod.getSpec().getContainers()); // init containers never
    for (Container c : containers) {
      for (ContainerPort p : orEmptyList(c.getPorts())) {
        if (p.getContainerPort() != null && p.getContainerPort() == port) {
          return Optional.of(c.getName());
        }
      }
    }
    return Optional.empty();
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static <T> List<T> orEmptyList(List<T> list) {
    return list == null ? List.of() : list;
  }
}
