package io.scrapeshard.bench.jmh;

import io.scrapeshard.worker.exposition.Sample;
import io.scrapeshard.worker.exposition.TextParser;
import io.scrapeshard.worker.scrape.ScrapeProcessor;
import io.scrapeshard.worker.scrape.ScrapeResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

/**
 * The exposition parser on one core: a real node-exporter payload (captured from Debian's
 * prometheus-node-exporter, 507 samples) and a synthetic 100,000-series payload; and parsing plus
 * attaching target labels (what each scrape costs before remote write). Samples per second = the
 * payload's samples / the time per operation.
 *
 * <p>{@code java -jar benchmarks/target/scrape-shard-bench.jar jmh ParserBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ParserBenchmark {

  @Param({"node-exporter", "synthetic-100k"})
  public String payload;

  private byte[] body;
  private ScrapeProcessor processor;

  @Setup
  public void setUp() {
    body =
        payload.equals("node-exporter")
            ? resource("/payloads/node-exporter.txt")
            : synthetic(100_000);
    processor =
        new ScrapeProcessor(
            Map.of("job", "node", "instance", "10.0.0.1:9100", "namespace", "monitoring"),
            false,
            0);
  }

  @Benchmark
  public List<Sample> parse() {
    return TextParser.parse(body, body.length, TextParser.Format.PROMETHEUS_TEXT);
  }

  @Benchmark
  public ScrapeResult parseAndLabel() {
    return processor.success(
        TextParser.parse(body, body.length, TextParser.Format.PROMETHEUS_TEXT),
        1_700_000_000_000L,
        0.1);
  }

  /**
   * {@code n} series like an application exporter's: counters and histogram buckets with labels.
   */
  static byte[] synthetic(int n) {
    StringBuilder b = new StringBuilder(n * 90);
    b.append("# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n");
    for (int i = 0; i < n; i++) {
      b.append("http_requests_total{method=\"")
          .append(i % 2 == 0 ? "GET" : "POST")
          .append("\",handler=\"/api/v1/item/")
          .append(i % 1000)
          .append("\",code=\"")
          .append(200 + i % 5)
          .append("\",shard=\"")
          .append(i)
          .append("\"} ")
          .append(i * 17.5)
          .append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] resource(String name) {
    try (InputStream in = ParserBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
