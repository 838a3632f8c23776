package io.scrapeshard.bench.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.scrapeshard.bench.strategy.Strategies;
import io.scrapeshard.bench.strategy.Strategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationTest {

  private final Cluster cluster =
      new ClusterGenerator(20, 20_000, 10, Shape.uniform, 1, SeriesDistribution.fixed, 100, 1, 1.5)
          .generate(1);

  private Result run(String strategy) {
    Strategy s = Strategies.byNames(List.of(strategy), 1.1, 100).get(0);
    return new Simulation(cluster, 8, 1).run(s);
  }

  @Test
  void hrwMovesAboutTheOptimalShareAndNothingBetweenSurvivors() {
    Result r = run("hrw");

    assertThat(r.scrapers()).isEqualTo(8);
    assertThat(r.movedOnAdd()).isCloseTo(1 / 9.0, within(0.1 / 9));
    assertThat(r.movedOnRemove()).isCloseTo(1 / 8.0, within(0.1 / 8));
    assertThat(r.movedBetweenSurvivorsOnRemove()).isZero();
    assertThat(r.movedBetweenSurvivorsOnCrash()).isZero();
    assertThat(r.targetsPerScraper()).hasSize(8);
    assertThat(r.seriesPerScraper()[0]).isEqualTo(100L * r.targetsPerScraper()[0]);
  }

  @Test
  void daemonSetMovesOnlyTheRemovedNodesPodsAndNothingOnAdd() {
    Result r = run("daemonset");
    Map<String, Long> perNode =
        cluster.pods().stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    Pod::node, java.util.stream.Collectors.counting()));

    assertThat(r.scrapers()).isEqualTo(20);
    assertThat(r.movedOnAdd()).isZero();
    assertThat(r.movedOnRemove()).isEqualTo(perNode.get("node-19") / 20_000.0);
    assertThat(r.movedBetweenSurvivorsOnRemove()).isZero();
  }

  @Test
  void hashmodRenumbersAndMovesMostTargets() {
    Result r = run("hashmod");

    assertThat(r.movedOnAdd()).isGreaterThan(0.8);
    assertThat(r.movedBetweenSurvivorsOnRemove()).isGreaterThan(0.7);
  }

  @Test
  void jumpMovesBetweenSurvivorsOnlyWhenAMiddleOrdinalCrashes() {
    Result r = run("jump");

    assertThat(r.movedBetweenSurvivorsOnRemove()).isZero();
    assertThat(r.movedBetweenSurvivorsOnCrash()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void balanceFiguresOfAPerfectSplitAreOneAndZero() {
    assertThat(Stats.maxOverMean(new int[] {5, 5, 5})).isEqualTo(1.0);
    assertThat(Stats.cv(new long[] {5, 5, 5})).isZero();
    assertThat(Stats.maxOverMean(new long[] {0, 10})).isEqualTo(2.0);
    assertThat(Stats.cv(new long[] {0, 10})).isEqualTo(1.0);
  }
}
