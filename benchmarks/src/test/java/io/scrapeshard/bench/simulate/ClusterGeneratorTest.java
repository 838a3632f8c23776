package io.scrapeshard.bench.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterGeneratorTest {

  private static ClusterGenerator generator(Shape shape, SeriesDistribution dist, int pods) {
    return new ClusterGenerator(50, pods, 20, shape, 1.0, dist, 500, 1.0, 1.5);
  }

  @Test
  void sameSeedGivesTheSameClusterAndAnotherSeedAnother() {
    ClusterGenerator g = generator(Shape.uniform, SeriesDistribution.lognormal, 1_000);

    assertThat(g.generate(7)).isEqualTo(g.generate(7));
    assertThat(g.generate(8)).isNotEqualTo(g.generate(7));
  }

  @Test
  void makesTheRequestedPodsAndNodes() {
    Cluster c = generator(Shape.uniform, SeriesDistribution.fixed, 1_234).generate(1);

    assertThat(c.pods()).hasSize(1_234);
    assertThat(c.nodes()).hasSize(50);
    assertThat(c.totalSeries()).isEqualTo(1_234L * 500);
  }

  @Test
  void poolsPutAboutFourTimesTheSmallNodesPodsOnALargeNode() {
    Cluster c = generator(Shape.pools, SeriesDistribution.fixed, 100_000).generate(2);
    Map<String, Long> perNode =
        c.pods().stream().collect(Collectors.groupingBy(Pod::node, Collectors.counting()));

    double small = perNode.get("node-0");
    double large = perNode.get("node-49");

    assertThat(large / small).isCloseTo(4.0, within(0.5));
  }

  @Test
  void zipfPutsMostPodsOnTheFirstNode() {
    Cluster c = generator(Shape.zipf, SeriesDistribution.fixed, 20_000).generate(3);
    Map<String, Long> perNode =
        c.pods().stream().collect(Collectors.groupingBy(Pod::node, Collectors.counting()));

    String busiest =
        perNode.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();

    assertThat(busiest).isEqualTo("node-0");
    assertThat(perNode.get("node-0")).isGreaterThan(10 * perNode.getOrDefault("node-49", 0L));
  }

  @Test
  void lognormalSeriesHaveTheRequestedMean() {
    Cluster c = generator(Shape.uniform, SeriesDistribution.lognormal, 50_000).generate(4);

    assertThat(c.totalSeries() / 50_000.0).isCloseTo(500, within(25.0));
  }

  @Test
  void paretoSeriesHaveTheMedianOfTheirScaleAndAlpha() {
    Cluster c = generator(Shape.uniform, SeriesDistribution.pareto, 50_000).generate(5);
    long[] series = c.pods().stream().mapToLong(Pod::series).sorted().toArray();
    double scale = 500 * (1.5 - 1) / 1.5;

    assertThat((double) series[series.length / 2])
        .isCloseTo(scale * Math.pow(2, 1 / 1.5), within(8.0));
    assertThat(Arrays.stream(series).max().orElseThrow()).isGreaterThan(50 * 500);
  }

  @Test
  void podNamesAreUnique() {
    Cluster c = generator(Shape.uniform, SeriesDistribution.fixed, 5_000).generate(6);

    assertThat(c.pods().stream().collect(Collectors.toMap(Pod::key, Function.identity())))
        .hasSize(5_000);
  }
}
