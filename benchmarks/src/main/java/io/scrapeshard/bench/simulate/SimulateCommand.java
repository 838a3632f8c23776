package io.scrapeshard.bench.simulate;

import io.scrapeshard.bench.strategy.Strategies;
import io.scrapeshard.bench.strategy.Strategy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate}: compares sharding strategies with the per-node DaemonSet on one cluster. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Assigns the pods of a synthetic (or traced) cluster to scrapers with each strategy, then adds"
          + " a member, removes the highest ordinal and crashes a random member, and reports load"
          + " balance and movement."
    })
public final class SimulateCommand implements Callable<Integer> {

  /** The output formats. */
  public enum Format {
    table,
    json,
    csv
  }

  @Spec CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "50", description = "Nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--pods",
      defaultValue = "5000",
      description = "Pods in total (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(
      names = "--workers",
      defaultValue = "10",
      description = "StatefulSet members of the sharded strategies (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--shape",
      defaultValue = "uniform",
      description = "Pods per node: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Shape shape;

  @Option(
      names = "--zipf-exponent",
      defaultValue = "1.0",
      description = "Exponent s of --shape zipf (default ${DEFAULT-VALUE}).")
  double zipfExponent;

  @Option(
      names = "--series-dist",
      defaultValue = "lognormal",
      description = "Series per pod: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  SeriesDistribution seriesDistribution;

  @Option(
      names = "--series-mean",
      defaultValue = "500",
      description = "Mean series per pod (default ${DEFAULT-VALUE}).")
  double seriesMean;

  @Option(
      names = "--series-sigma",
      defaultValue = "1.0",
      description = "Sigma of --series-dist lognormal (default ${DEFAULT-VALUE}).")
  double seriesSigma;

  @Option(
      names = "--pareto-alpha",
      defaultValue = "1.5",
      description = "Shape of --series-dist pareto, > 1 (default ${DEFAULT-VALUE}).")
  double paretoAlpha;

  @Option(
      names = "--namespaces",
      defaultValue = "20",
      description = "Namespaces (default ${DEFAULT-VALUE}).")
  int namespaces;

  @Option(
      names = "--trace",
      description =
          "CSV snapshot 'namespace,pod,node,series' with a header; replaces the synthetic cluster.")
  Path trace;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--strategies",
      split = ",",
      description =
          "Comma-separated, default all: daemonset,hrw,hrw-bounded,ta-ring,ring,hashmod,jump.")
  List<String> strategies = new ArrayList<>(Strategies.NAMES);

  @Option(
      names = "--capacity-factor",
      defaultValue = "1.1",
      description = "Capacity factor c of hrw-bounded, >= 1 (default ${DEFAULT-VALUE}).")
  double capacityFactor;

  @Option(
      names = "--ring-vnodes",
      defaultValue = "100",
      description = "Points per member of ring (default ${DEFAULT-VALUE}).")
  int ringVirtualNodes;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--plot", description = "Directory to write PNG charts into.")
  Path plot;

  @Override
  public Integer call() throws IOException {
    List<Strategy> chosen = validate();
    Cluster cluster = trace != null ? TraceReader.read(trace) : generator().generate(seed);
    if (cluster.pods().isEmpty() || cluster.nodes().size() < 2) {
      throw new SimulationException(
          "trace '"
              + trace
              + "' must hold at least one pod on at least 2 nodes, got "
              + cluster.pods().size()
              + " pods on "
              + cluster.nodes().size()
              + " nodes");
    }
    Simulation simulation = new Simulation(cluster, workers, seed);
    List<Result> results = chosen.stream().map(simulation::run).toList();
    Map<String, Object> params = params(cluster);
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case json -> out.println(Report.json(params, results));
      case csv -> out.print(Report.csv(results));
      case table -> out.print(Report.table(params, results));
    }
    out.flush();
    if (plot != null) {
      String subtitle =
          cluster.nodes().size()
              + " nodes, "
              + cluster.pods().size()
              + " pods, "
              + workers
              + " workers";
      List<Path> files = Charts.write(plot, results, subtitle);
      spec.commandLine().getErr().println("wrote " + files.size() + " charts to " + plot);
    }
    return 0;
  }

  private List<Strategy> validate() {
    requireAtLeast("--workers", workers, 2, " (the remove events need a survivor)");
    if (trace == null) {
      requireAtLeast("--nodes", nodes, 2, " (the remove events need a survivor)");
      requireAtLeast("--pods", pods, 1, "");
      requireAtLeast("--namespaces", namespaces, 1, "");
    }
    requireAtLeast("--ring-vnodes", ringVirtualNodes, 1, "");
    if (!(seriesMean >= 1) || Double.isInfinite(seriesMean)) {
      throw new SimulationException(
          "--series-mean must be a finite number >= 1, got " + seriesMean);
    }
    if (!(seriesSigma >= 0) || seriesSigma > 10) {
      throw new SimulationException("--series-sigma must be 0-10, got " + seriesSigma);
    }
    if (!(paretoAlpha > 1) || Double.isInfinite(paretoAlpha)) {
      throw new SimulationException(
          "--pareto-alpha must be > 1 (the mean is infinite below), got " + paretoAlpha);
    }
    if (!(zipfExponent >= 0) || zipfExponent > 10) {
      throw new SimulationException("--zipf-exponent must be 0-10, got " + zipfExponent);
    }
    if (!(capacityFactor >= 1) || Double.isInfinite(capacityFactor)) {
      throw new SimulationException(
          "--capacity-factor must be a finite number >= 1, got " + capacityFactor);
    }
    if (plot != null) {
      try {
        Files.createDirectories(plot);
      } catch (IOException e) {
        throw new SimulationException("--plot directory '" + plot + "' cannot be created: " + e);
      }
    }
    try {
      return Strategies.byNames(strategies, capacityFactor, ringVirtualNodes);
    } catch (IllegalArgumentException e) {
      throw new SimulationException("--strategies: " + e.getMessage());
    }
  }

  private static void requireAtLeast(String option, int value, int min, String why) {
    if (value < min) {
      throw new SimulationException(option + " must be >= " + min + why + ", got " + value);
    }
  }

  private ClusterGenerator generator() {
    return new ClusterGenerator(
        nodes,
        pods,
        namespaces,
        shape,
        zipfExponent,
        seriesDistribution,
        seriesMean,
        seriesSigma,
        paretoAlpha);
  }

  private Map<String, Object> params(Cluster cluster) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (trace != null) {
      p.put("trace", trace.toString());
    } else {
      p.put("shape", shape.name());
      if (shape == Shape.zipf) {
        p.put("zipfExponent", zipfExponent);
      }
      p.put("seriesDist", seriesDistribution.name());
      p.put("seriesMean", seriesMean);
      switch (seriesDistribution) {
        case lognormal -> p.put("seriesSigma", seriesSigma);
        case pareto -> p.put("paretoAlpha", paretoAlpha);
        case fixed -> {}
      }
      p.put("namespaces", namespaces);
      p.put("seed", seed);
    }
    p.put("nodes", cluster.nodes().size());
    p.put("pods", cluster.pods().size());
    p.put("totalSeries", cluster.totalSeries());
    p.put("workers", workers);
    p.put("strategies", strategies.stream().map(String::strip).toList());
    p.put("capacityFactor", capacityFactor);
    p.put("ringVnodes", ringVirtualNodes);
    return p;
  }
}
