package io.scrapeshard.bench.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Builds synthetic clusters, the same one for the same parameters and seed.
 *
 * @param nodes at least 1
 * @param pods at least 0
 * @param namespaces at least 1
 * @param zipfExponent for {@link Shape#zipf}, at least 0
 * @param seriesMean at least 1
 * @param seriesSigma for {@link SeriesDistribution#lognormal}, at least 0
 * @param paretoAlpha for {@link SeriesDistribution#pareto}, above 1 (the mean is infinite below)
 */
public record ClusterGenerator(
    int nodes,
    int pods,
    int namespaces,
    Shape shape,
    double zipfExponent,
    SeriesDistribution seriesDistribution,
    double seriesMean,
    double seriesSigma,
    double paretoAlpha) {

  /** A cluster drawn with {@code seed}. */
  public Cluster generate(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Random gaussian = new Random(random.nextLong());
    List<String> nodeNames = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      nodeNames.add("node-" + i);
    }
    double[] cumulative = cumulative(nodeWeights());
    List<Pod> podList = new ArrayList<>(pods);
    for (int i = 0; i < pods; i++) {
      String node = nodeNames.get(pick(cumulative, random.nextDouble()));
      String namespace = "ns-" + random.nextInt(namespaces);
      podList.add(new Pod(namespace, "pod-" + i, node, series(random, gaussian)));
    }
    return new Cluster(nodeNames, podList);
  }

  private double[] nodeWeights() {
    double[] w = new double[nodes];
    for (int i = 0; i < nodes; i++) {
      w[i] =
          switch (shape) {
            case uniform -> 1;
            case pools -> i < nodes * 0.5 ? 1 : i < nodes * 0.8 ? 2 : 4;
            case zipf -> 1 / Math.pow(i + 1, zipfExponent);
          };
    }
    return w;
  }

  private long series(SplittableRandom random, Random gaussian) {
    double x =
        switch (seriesDistribution) {
          case fixed -> seriesMean;
          case lognormal -> {
            double mu = Math.log(seriesMean) - seriesSigma * seriesSigma / 2;
            yield Math.exp(mu + seriesSigma * gaussian.nextGaussian());
          }
          case pareto -> {
            double scale = seriesMean * (paretoAlpha - 1) / paretoAlpha;
            yield scale / Math.pow(1 - random.nextDouble(), 1 / paretoAlpha);
          }
        };
    return Math.max(1, Math.round(Math.min(x, 1e12)));
  }

  private static double[] cumulative(double[] weights) {
    double[] c = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      c[i] = sum;
    }
    for (int i = 0; i < c.length; i++) {
      c[i] /= sum;
    }
    return c;
  }

  private static int pick(double[] cumulative, double u) {
    int i = Arrays.binarySearch(cumulative, u);
    int index = i >= 0 ? i + 1 : -i - 1;
    return Math.min(index, cumulative.length - 1);
  }
}
