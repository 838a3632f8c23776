package io.scrapeshard.bench.jmh;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.scrapeshard.hashing.TargetKey;
import io.scrapeshard.worker.discovery.PodTargets;
import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.scrapeshard.worker.discovery.TargetSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jol.info.GraphLayout;

/**
 * Discovery for 10,000 pods: turning pod events into targets (per event), and building the
 * immutable snapshot every listener receives (per burst of events). {@link #main} prints the
 * retained memory per target.
 *
 * <p>{@code java -jar benchmarks/target/scrape-shard-bench.jar jmh DiscoveryBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DiscoveryBenchmark {

  @Param({"10000"})
  public int pods;

  private List<Pod> podList;
  private PodTargets targets;
  private Map<TargetKey, ScrapeTarget> converted;

  @Setup
  public void setUp() {
    podList = pods(pods);
    targets = new PodTargets("kubernetes-pods", true);
    converted = convert(podList, targets);
  }

  /** One event per pod: all 10,000 pods turned into targets. */
  @Benchmark
  public int convertAllPods() {
    int n = 0;
    for (Pod p : podList) {
      if (targets.of(p) instanceof PodTargets.Target) {
        n++;
      }
    }
    return n;
  }

  /** The snapshot listeners get after a burst of changes. */
  @Benchmark
  public TargetSource.Snapshot snapshot() {
    return new TargetSource.Snapshot(converted, true, 1);
  }

  static List<Pod> pods(int n) {
    List<Pod> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new PodBuilder()
              .withNewMetadata()
              .withNamespace("team-" + (i % 40))
              .withName("service-" + (i % 500) + "-" + Integer.toHexString(i * 0x9E3779B1))
              .withLabels(
                  Map.of(
                      "app.kubernetes.io/name",
                      "service-" + (i % 500),
                      "app.kubernetes.io/instance",
                      "prod",
                      "pod-template-hash",
                      Integer.toHexString(i),
                      "team",
                      "team-" + (i % 40)))
              .withAnnotations(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8080"))
              .endMetadata()
              .withNewSpec()
              .withNodeName("node-" + (i % 100))
              .addNewContainer()
              .withName("app")
              .addNewPort()
              .withContainerPort(8080)
              .endPort()
              .endContainer()
              .endSpec()
              .withNewStatus()
              .withPhase("Running")
              .withPodIP("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255))
              .endStatus()
              .build());
    }
    return out;
  }

  static Map<TargetKey, ScrapeTarget> convert(List<Pod> pods, PodTargets targets) {
    Map<TargetKey, ScrapeTarget> out = new HashMap<>();
    for (Pod p : pods) {
      if (targets.of(p) instanceof PodTargets.Target t) {
        out.put(t.target().key(), t.target());
      }
    }
    return out;
  }

  /** Prints the memory a snapshot of 10,000 pod targets retains, per target (JOL). */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    TargetSource.Snapshot s =
        new TargetSource.Snapshot(
            convert(pods(n), new PodTargets("kubernetes-pods", true)), true, 1);
    long bytes = GraphLayout.parseInstance(s).totalSize();
    System.out.printf(
        "targets=%d retained_bytes=%d bytes_per_target=%d%n",
        s.targets().size(), bytes, bytes / s.targets().size());
  }
}
