package io.scrapeshard.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scrapeshard.worker.remotewrite.RemoteWriteOptions;
import io.scrapeshard.worker.scrape.HttpScraper;
import io.scrapeshard.worker.scrape.ScrapeJob;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The whole configuration of a worker process, validated. Read with {@link #load}; see the README's
 * configuration reference for every key and its default.
 *
 * @param cluster the cluster name (ZooKeeper path {@code <root>/<cluster>})
 * @param leaveTimeout the deadline of a graceful leave on SIGTERM; keep it below the pod's {@code
 *     terminationGracePeriodSeconds}
 */
public record WorkerConfig(
    String cluster,
    Coordination coordination,
    MemberConfig member,
    Api api,
    Duration leaveTimeout,
    HttpScraper.Options scrape,
    List<Job> jobs,
    RemoteWriteOptions remoteWrite) {

  /** ZooKeeper and the hand-off protocol. */
  public record Coordination(
      String zookeeper, String root, Duration sessionTimeout, Duration handoffDelay) {}

  /**
   * This worker as a member: id (default {@code $POD_NAME}, then the host name), address, weight.
   */
  public record MemberConfig(String id, String address, double weight) {}

  /** The REST API's listener and its optional bearer token file. */
  public record Api(String host, int port, Path bearerTokenFile) {}

  /** A scrape job and exactly one discovery for it. */
  public record Job(ScrapeJob scrape, Kubernetes kubernetes, FileSd fileSd) {}

  /** Pod discovery through the Kubernetes API. */
  public record Kubernetes(
      List<String> namespaces,
      Set<String> excludeNamespaces,
      String labelSelector,
      boolean podLabels) {}

  /** Prometheus file_sd files. */
  public record FileSd(List<Path> files, Duration refresh) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * A duration as Prometheus writes it ({@code 1m30s}, {@code 500ms}); the loader reads it back.
   */
  public static String formatDuration(Duration d) {
    return ConfigReader.format(d);
  }

  /**
   * Reads {@code file}, applies {@code flags} ({@code key=value} from {@code --set}) and the {@code
   * SCRAPE_SHARD_*} variables of {@code env}, and validates everything.
   *
   * @param hostName the host name, for the member id when neither the file nor {@code $POD_NAME}
   *     gives one
   * @throws ConfigException listing every problem, each with the key, the value and the reason
   */
  public static WorkerConfig load(
      Path file, Map<String, String> flags, Map<String, String> env, Supplier<String> hostName) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("no such file"));
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of("cannot read the file: " + firstLine(e.toString())));
    }
    JsonNode tree;
    try {
      tree = YAML.readTree(content);
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), List.of("not valid YAML: " + firstLine(e.getMessage())));
    }
    return parse(file.toString(), tree, flags, env, hostName);
  }

  /** As {@link #load}, from YAML text. */
  public static WorkerConfig parse(
      String source,
      String yaml,
      Map<String, String> flags,
      Map<String, String> env,
      Supplier<String> hostName) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(source, List.of("not valid YAML: " + firstLine(e.getMessage())));
    }
    return parse(source, tree, flags, env, hostName);
  }

  private static WorkerConfig parse(
      String source,
      JsonNode tree,
      Map<String, String> flags,
      Map<String, String> env,
      Supplier<String> hostName) {
    ConfigReader reader = new ConfigReader(flags, env);
    ConfigReader.Obj root = reader.root(tree);
    String cluster = root.string("cluster", "default");
    if (cluster.isBlank() || cluster.contains("/")) {
      root.problem("cluster", "'" + cluster + "' must be non-empty and contain no '/'");
    }
    Coordination coordination = coordination(root.child("coordination"));
    Api api = api(root.child("api"));
    MemberConfig member = member(root.child("member"), api.port(), env, hostName);
    Duration leave = positive(root, "leaveTimeout", Duration.ofSeconds(25));
    List<Job> jobs = jobs(root, reader);
    HttpScraper.Options scrape = scrape(root.child("scrape"), jobs);
    RemoteWriteOptions remoteWrite = remoteWrite(root.child("remoteWrite"));
    root.rejectUnknown();
    reader.reportUnused();
    if (!reader.problems.isEmpty()) {
      throw new ConfigException(source, reader.problems);
    }
    return new WorkerConfig(cluster, coordination, member, api, leave, scrape, jobs, remoteWrite);
  }

  private static Coordination coordination(ConfigReader.Obj zk) {
    String connect = zk.string("zookeeper", null);
    if (connect == null || connect.isBlank()) {
      zk.problem(
          "zookeeper", "required: the ZooKeeper connect string, as zk-0.zk:2181,zk-1.zk:2181");
    }
    String root = zk.string("root", "/scrape-shard");
    if (!root.startsWith("/") || root.endsWith("/") && root.length() > 1) {
      zk.problem("root", "'" + root + "' must start with '/' and not end with '/'");
    }
    Duration session = positive(zk, "sessionTimeout", Duration.ofSeconds(10));
    Duration handoff = positive(zk, "handoffDelay", Duration.ofSeconds(5));
    zk.rejectUnknown();
    return new Coordination(connect, root, session, handoff);
  }

  private static Api api(ConfigReader.Obj api) {
    String host = api.string("host", "0.0.0.0");
    int port = (int) api.integer("port", 8080, 0, 65_535);
    Path tokenFile = readableFile(api, "bearerTokenFile");
    api.rejectUnknown();
    return new Api(host, port, tokenFile);
  }

  /** Id: the key, else {@code $POD_NAME}, else the host name; address: {@code $POD_IP} first. */
  private static MemberConfig member(
      ConfigReader.Obj member, int apiPort, Map<String, String> env, Supplier<String> hostName) {
    String id = member.string("id", null);
    if (id == null || id.isBlank()) {
      id = env.getOrDefault("POD_NAME", "");
    }
    if (id.isBlank()) {
      id = hostName.get();
    }
    if (id == null || id.isBlank() || id.contains("/")) {
      member.problem("id", "'" + id + "' must be non-empty and contain no '/'");
    }
    String defaultAddress =
        env.getOrDefault("POD_IP", hostName.get()) + ":" + (apiPort == 0 ? 8080 : apiPort);
    String address = member.string("address", defaultAddress);
    double weight = member.number("weight", 1.0);
    if (!Double.isFinite(weight) || weight <= 0) {
      member.problem("weight", weight + " must be a finite number > 0");
      weight = 1.0;
    }
    member.rejectUnknown();
    return new MemberConfig(id, address, weight);
  }

  private static List<Job> jobs(ConfigReader.Obj root, ConfigReader reader) {
    List<ConfigReader.Obj> nodes = root.children("jobs");
    if (nodes.isEmpty()) {
      reader.problems.add("jobs: at least one job is required");
    }
    List<Job> jobs = new java.util.ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigReader.Obj j : nodes) {
      Job job = job(j, names);
      if (job != null) {
        jobs.add(job);
      }
    }
    return List.copyOf(jobs);
  }

  /** The HTTP options; their timeout is the longest job's (each scrape passes its own). */
  private static HttpScraper.Options scrape(ConfigReader.Obj scrape, List<Job> jobs) {
    long bodyLimit = scrape.integer("bodyLimitBytes", 64L << 20, 0, Long.MAX_VALUE);
    Path token = readableFile(scrape, "bearerTokenFile");
    Path ca = readableFile(scrape, "caFile");
    boolean insecure = scrape.bool("insecureSkipVerify", false);
    scrape.rejectUnknown();
    Duration longest =
        jobs.stream()
            .map(j -> j.scrape().timeout())
            .max(Duration::compareTo)
            .orElse(Duration.ofSeconds(10));
    return new HttpScraper.Options(longest, bodyLimit, token, ca, insecure);
  }

  private static Job job(ConfigReader.Obj j, Set<String> names) {
    String name = j.string("name", null);
    if (name == null || name.isBlank()) {
      j.problem("name", "required");
    } else if (!names.add(name)) {
      j.problem("name", "'" + name + "' is used by another job");
    }
    Duration interval = j.duration("interval", Duration.ofSeconds(30));
    Duration timeout = j.duration("timeout", min(Duration.ofSeconds(10), interval));
    boolean honorLabels = j.bool("honorLabels", false);
    long sampleLimit = j.integer("sampleLimit", 0, 0, Integer.MAX_VALUE);
    Kubernetes k8s = null;
    FileSd fileSd = null;
    if (j.has("kubernetes")) {
      ConfigReader.Obj k = j.child("kubernetes");
      List<String> namespaces = k.strings("namespaces");
      Set<String> excluded = new HashSet<>(k.strings("excludeNamespaces"));
      String selector = k.string("labelSelector", null);
      boolean podLabels = k.bool("podLabels", true);
      k.rejectUnknown();
      k8s = new Kubernetes(namespaces, Set.copyOf(excluded), selector, podLabels);
    }
    if (j.has("fileSd")) {
      ConfigReader.Obj f = j.child("fileSd");
      List<Path> files = f.strings("files").stream().map(Path::of).toList();
      if (files.isEmpty()) {
        f.problem("files", "at least one file is required");
      }
      Duration refresh = positive(f, "refresh", Duration.ofSeconds(30));
      f.rejectUnknown();
      fileSd = new FileSd(files, refresh);
    }
    if ((k8s == null) == (fileSd == null)) {
      j.problem(
          "kubernetes",
          "a job needs exactly one discovery, kubernetes or fileSd; got "
              + (k8s == null ? "neither" : "both"));
    }
    j.rejectUnknown();
    if (timeout.compareTo(interval) > 0) {
      j.problem(
          "timeout",
          ConfigReader.format(timeout)
              + " must be at most the interval "
              + ConfigReader.format(interval));
      return null;
    }
    if (name == null || name.isBlank()) {
      return null;
    }
    try {
      return new Job(
          new ScrapeJob(name, interval, timeout, honorLabels, (int) sampleLimit), k8s, fileSd);
    } catch (IllegalArgumentException e) {
      j.problem("interval", e.getMessage());
      return null;
    }
  }

  private static RemoteWriteOptions remoteWrite(ConfigReader.Obj r) {
    String url = r.string("url", null);
    int shards = (int) r.integer("shards", 4, 1, 256);
    int capacity = (int) r.integer("capacity", 100_000, 1, Integer.MAX_VALUE);
    int maxBatch = (int) r.integer("maxBatch", 2_000, 1, 1_000_000);
    Duration timeout = positive(r, "timeout", Duration.ofSeconds(30));
    Map<String, String> external = r.stringMap("externalLabels");
    Map<String, String> headers = r.stringMap("headers");
    r.rejectUnknown();
    if (url == null || url.isBlank()) {
      r.problem(
          "url", "required: the receiver's remote-write URL, as http://host:9090/api/v1/write");
      return null;
    }
    try {
      return RemoteWriteOptions.builder(URI.create(url))
          .shards(shards)
          .capacity(Math.max(capacity, shards))
          .maxBatch(maxBatch)
          .timeout(timeout)
          .externalLabels(external)
          .headers(headers)
          .build();
    } catch (IllegalArgumentException e) {
      r.problem("url", "'" + url + "': " + e.getMessage());
      return null;
    }
  }

  private static Duration positive(ConfigReader.Obj o, String key, Duration fallback) {
    Duration d = o.duration(key, fallback);
    if (d.isZero() || d.isNegative()) {
      o.problem(key, d + " must be positive");
      return fallback;
    }
    return d;
  }

  private static Path readableFile(ConfigReader.Obj o, String key) {
    String s = o.string(key, null);
    if (s == null || s.isBlank()) {
      return null;
    }
    Path p = Path.of(s);
    if (!Files.isReadable(p)) {
      o.problem(key, "'" + s + "' is not a readable file");
      return null;
    }
    return p;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
