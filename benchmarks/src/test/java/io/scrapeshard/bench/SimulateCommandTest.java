package io.scrapeshard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapeshard.bench.strategy.Strategies;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class SimulateCommandTest {

  private static final String ACCEPTANCE =
      "simulate --nodes 50 --pods 5000 --workers 10 --shape pools --series-dist lognormal --seed 1";

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BenchCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run run(String line) {
    return run(line.split(" "));
  }

  @Test
  void acceptanceCommandPrintsOneJsonObjectWithEveryStrategy() throws IOException {
    Run r = run(ACCEPTANCE + " --format json");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip().lines()).hasSize(1);
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.get("params").get("pods").asInt()).isEqualTo(5000);
    Map<String, JsonNode> results = new HashMap<>();
    root.get("results").forEach(n -> results.put(n.get("strategy").asText(), n));
    assertThat(results).containsOnlyKeys(Strategies.NAMES);
    JsonNode hrw = results.get("hrw");
    double optimal = hrw.get("movedOnAddOptimal").asDouble();
    assertThat(optimal).isCloseTo(1 / 11.0, within(1e-12));
    assertThat(hrw.get("movedOnAdd").asDouble()).isCloseTo(optimal, within(optimal * 0.15));
    assertThat(hrw.get("movedBetweenSurvivorsOnRemove").asDouble()).isZero();
    assertThat(hrw.get("movedBetweenSurvivorsOnCrash").asDouble()).isZero();
    assertThat(results.get("hashmod").get("movedOnAdd").asDouble()).isGreaterThan(0.8);
    assertThat(results.get("daemonset").get("scrapers").asInt()).isEqualTo(50);
    assertThat(results.get("jump").get("scrapers").asInt()).isEqualTo(10);
    assertThat(results.get("daemonset").get("seriesMaxOverMean").asDouble())
        .isGreaterThan(hrw.get("seriesMaxOverMean").asDouble());
  }

  @Test
  void sameSeedGivesTheSameFiguresExceptTimings() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(run(ACCEPTANCE + " --format json").out());
    JsonNode b = json.readTree(run(ACCEPTANCE + " --format json").out());
    for (JsonNode n : List.of(a, b)) {
      n.get("results")
          .forEach(
              r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r).remove("assignMillis"));
    }
    assertThat(a).isEqualTo(b);
  }

  @Test
  void csvHasAHeaderAndOneLinePerStrategy() {
    Run r = run(ACCEPTANCE + " --format csv --strategies hrw,jump");

    assertThat(r.exitCode()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("strategy,scrapers,targetsMaxOverMean,");
    assertThat(lines.get(1)).startsWith("hrw,10,");
    assertThat(lines.get(2)).startsWith("jump,10,");
  }

  @Test
  void tableNamesEveryStrategyAndFigure() {
    Run r = run("simulate --pods 500 --nodes 5 --workers 3");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains(Strategies.NAMES)
        .contains("movedBetweenSurvivorsOnRemove", "assignMillis");
  }

  @Test
  void plotWritesPngChartsForEveryStrategy() throws IOException {
    Path plots = dir.resolve("plots");
    Run r = run(ACCEPTANCE + " --format json --plot " + plots);

    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).contains("wrote 9 charts to " + plots);
    List<String> names = new ArrayList<>(List.of("load.png", "moved.png"));
    Strategies.NAMES.forEach(s -> names.add("load-" + s + ".png"));
    for (String name : names) {
      BufferedImage image = ImageIO.read(plots.resolve(name).toFile());
      assertThat(image).as(name).isNotNull();
      assertThat(image.getWidth()).as(name).isEqualTo(900);
    }
  }

  @Test
  void traceReplacesTheSyntheticCluster() throws IOException {
    Path trace =
        Files.writeString(
            dir.resolve("t.csv"),
            "namespace,pod,node,series\na,p0,n0,10\na,p1,n0,20\nb,p2,n1,30\nb,p3,n2,40\n");

    Run r = run("simulate", "--trace", trace.toString(), "--workers", "2", "--format", "json");

    assertThat(r.exitCode()).isZero();
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.get("params").get("nodes").asInt()).isEqualTo(3);
    assertThat(root.get("params").get("totalSeries").asLong()).isEqualTo(100);
    assertThat(root.get("results").get(0).get("scrapers").asInt()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "simulate --workers 0 | --workers must be >= 2 (the remove events need a survivor), got 0",
        "simulate --pods -5 | --pods must be >= 1, got -5",
        "simulate --nodes 1 | --nodes must be >= 2 (the remove events need a survivor), got 1",
        "simulate --strategies hrw,maglev | unknown strategy 'maglev'",
        "simulate --shape square | 'square'",
        "simulate --series-dist weird | 'weird'",
        "simulate --workers many | 'many'",
        "simulate --capacity-factor 0.5 | --capacity-factor must be a finite number >= 1, got 0.5",
        "simulate --pareto-alpha 1 | --pareto-alpha must be > 1 (the mean is infinite below), got 1.0",
        "simulate --format xml | 'xml'",
        "simulate --trace /nonexistent/trace.csv | cannot read trace '/nonexistent/trace.csv'",
        "simulate --bogus | '--bogus'",
        "frobnicate | 'frobnicate'"
      })
  void badParameterGivesOneLineNamingItAndExitCodeTwo(String line, String expected) {
    Run r = run(line);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("error: ")
        .contains(expected)
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void malformedTraceLineGivesOneLineNamingItAndExitCodeTwo() throws IOException {
    Path trace = Files.writeString(dir.resolve("bad.csv"), "namespace,pod,node,series\na,p0,n0\n");

    Run r = run("simulate", "--trace", trace.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "error: trace '"
                + trace
                + "' line 2: expected 4 fields namespace,pod,node,series, got 3 in 'a,p0,n0'");
  }
}
