package io.scrapeshard.bench.simulate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** PNG charts of a simulation, written with XChart. */
public final class Charts {

  private Charts() {}

  /**
   * Writes {@code load.png} (series per scraper over the mean, scrapers sorted by load, every
   * strategy), {@code load-<strategy>.png} (series per scraper) and {@code moved.png} (moved
   * fraction per strategy and event) into {@code dir}, and returns the files written.
   */
  public static List<Path> write(Path dir, List<Result> results, String subtitle)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Path> written = new ArrayList<>();
    written.add(save(loadOverview(results, subtitle), dir.resolve("load.png")));
    for (Result r : results) {
      written.add(save(loadOf(r), dir.resolve("load-" + r.strategy() + ".png")));
    }
    written.add(save(moved(results, subtitle), dir.resolve("moved.png")));
    return written;
  }

  private static XYChart loadOverview(List<Result> results, String subtitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(540)
            .title("Series per scraper / mean, scrapers sorted by load (" + subtitle + ")")
            .xAxisTitle("scraper rank (fraction of scrapers)")
            .yAxisTitle("series / mean")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(4);
    for (Result r : results) {
      long[] sorted = r.seriesPerScraper().clone();
      Arrays.sort(sorted);
      double mean = Arrays.stream(sorted).average().orElse(1);
      double[] x = new double[sorted.length];
      double[] y = new double[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        x[i] = (i + 0.5) / sorted.length;
        y[i] = sorted[sorted.length - 1 - i] / mean;
      }
      chart.addSeries(r.strategy() + " (" + r.scrapers() + ")", x, y);
    }
    return chart;
  }

  private static CategoryChart loadOf(Result r) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(400)
            .title(
                String.format(
                    java.util.Locale.ROOT,
                    "%s: series per scraper (max/mean %.3f)",
                    r.strategy(),
                    r.seriesMaxOverMean()))
            .xAxisTitle("scraper")
            .yAxisTitle("series")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisTicksVisible(r.scrapers() <= 40);
    List<Integer> x = new ArrayList<>();
    List<Long> y = new ArrayList<>();
    for (int i = 0; i < r.scrapers(); i++) {
      x.add(i);
      y.add(r.seriesPerScraper()[i]);
    }
    chart.addSeries("series", x, y);
    return chart;
  }

  private static CategoryChart moved(List<Result> results, String subtitle) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(480)
            .title("Fraction of targets that change scraper (" + subtitle + ")")
            .xAxisTitle("strategy")
            .yAxisTitle("fraction of targets")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    List<String> names = results.stream().map(Result::strategy).toList();
    chart.addSeries(
        "add one (optimal)", names, results.stream().map(Result::movedOnAddOptimal).toList());
    chart.addSeries("add one", names, results.stream().map(Result::movedOnAdd).toList());
    chart.addSeries("scale down", names, results.stream().map(Result::movedOnRemove).toList());
    chart.addSeries("crash", names, results.stream().map(Result::movedOnCrash).toList());
    chart.addSeries(
        "crash: between survivors",
        names,
        results.stream().map(Result::movedBetweenSurvivorsOnCrash).toList());
    return chart;
  }

  private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file)
      throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
