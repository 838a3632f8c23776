package io.scrapeshard.worker.exposition;

import static io.scrapeshard.worker.exposition.TextParser.Format.OPENMETRICS_TEXT;
import static io.scrapeshard.worker.exposition.TextParser.Format.PROMETHEUS_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextParserTest {

  static List<Sample> parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return TextParser.parse(b, b.length, PROMETHEUS_TEXT);
  }

  static List<Sample> parseOm(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return TextParser.parse(b, b.length, OPENMETRICS_TEXT);
  }

  static Sample s(String name, double value, String... labels) {
    return new Sample(name, labels, value, Sample.NO_TIMESTAMP);
  }

  @Nested
  class PrometheusText {
    @Test
    void readsHelpTypeAndSamplesWithSortedLabels() {
      List<Sample> samples =
          parse(
              """
              # HELP http_requests_total The total.
              # TYPE http_requests_total counter
              http_requests_total{method="post",code="200"} 1027 1395066363000
              http_requests_total{method="post",code="400"}    3 1395066363000

              # a comment
              metric_without_timestamp_and_labels 12.47
              """);

      assertThat(samples)
          .containsExactly(
              new Sample(
                  "http_requests_total",
                  new String[] {"code", "200", "method", "post"},
                  1027,
                  1395066363000L),
              new Sample(
                  "http_requests_total",
                  new String[] {"code", "400", "method", "post"},
                  3,
                  1395066363000L),
              s("metric_without_timestamp_and_labels", 12.47));
    }

    @Test
    void unescapesLabelValues() {
      List<Sample> samples =
          parse(
              "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n");

      Sample only = samples.get(0);
      assertThat(only.label("path")).isEqualTo("C:\\DIR\\FILE.TXT");
      assertThat(only.label("error")).isEqualTo("Cannot find file:\n\"FILE.TXT\"");
      assertThat(only.value()).isEqualTo(1.458255915e9);
    }

    @Test
    void readsNaNAndInfinitiesAndNegativeTimestamps() {
      List<Sample> samples = parse("a NaN\nb +Inf\nc -Inf\nd 3 -1\ne 1e-3\n");

      assertThat(samples.get(0).value()).isNaN();
      assertThat(samples.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(samples.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
      assertThat(samples.get(3).timestampMillis()).isEqualTo(-1);
      assertThat(samples.get(4).value()).isEqualTo(0.001);
    }

    @Test
    void readsHistogramsAndSummariesAsTheirSeries() {
      List<Sample> samples =
          parse(
              """
              # TYPE http_request_duration_seconds histogram
              http_request_duration_seconds_bucket{le="0.05"} 24054
              http_request_duration_seconds_bucket{le="+Inf"} 144320
              http_request_duration_seconds_sum 53423
              http_request_duration_seconds_count 144320
              # TYPE rpc_duration_seconds summary
              rpc_duration_seconds{quantile="0.5"} 4773
              rpc_duration_seconds_sum 1.7560473e+07
              rpc_duration_seconds_count 2693
              """);

      assertThat(samples).hasSize(7);
      assertThat(samples.get(1).label("le")).isEqualTo("+Inf");
      assertThat(samples.get(4)).isEqualTo(s("rpc_duration_seconds", 4773, "quantile", "0.5"));
    }

    @Test
    void acceptsTrailingCommasBlanksAndEmptyLabelSets() {
      assertThat(parse("a{x=\"1\",} 1\nb{} 2\n\tc { y = \"2\" } 3  \n"))
          .containsExactly(s("a", 1, "x", "1"), s("b", 2), s("c", 3, "y", "2"));
    }

    @Test
    void anEmptyPayloadHasNoSamples() {
      assertThat(parse("")).isEmpty();
      assertThat(parse("\n\n# only comments\n")).isEmpty();
    }

    @Test
    void keepsUtf8LabelValues() {
      assertThat(parse("a{city=\"Zürich 東京\"} 1\n").get(0).label("city")).isEqualTo("Zürich 東京");
    }

    @Test
    void exposesTheLastLineWithoutANewline() {
      assertThat(parse("a 1\nb 2")).containsExactly(s("a", 1), s("b", 2));
    }
  }

  @Nested
  class OpenMetrics {
    @Test
    void requiresEofAndReadsSecondTimestampsAndIgnoresExemplars() {
      List<Sample> samples =
          parseOm(
              """
              # TYPE foo counter
              # UNIT foo seconds
              # HELP foo A counter.
              foo_total 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
              foo_created 1520430000.123
              # EOF
              """);

      assertThat(samples)
          .containsExactly(
              new Sample("foo_total", new String[0], 17.0, 1520879607789L),
              s("foo_created", 1520430000.123));
    }

    @Test
    void rejectsAPayloadWithoutEof() {
      assertThatThrownBy(() -> parseOm("foo 1\n"))
          .isInstanceOf(ExpositionException.class)
          .hasMessage("line 1: OpenMetrics payload does not end with # EOF");
    }

    @Test
    void rejectsContentAfterEof() {
      assertThatThrownBy(() -> parseOm("foo 1\n# EOF\nbar 2\n"))
          .isInstanceOf(ExpositionException.class)
          .hasMessage("line 3: content after # EOF");
    }

    @Test
    void theFormatComesFromTheContentType() {
      assertThat(TextParser.formatOf("application/openmetrics-text; version=1.0.0; charset=utf-8"))
          .isEqualTo(OPENMETRICS_TEXT);
      assertThat(TextParser.formatOf("text/plain; version=0.0.4")).isEqualTo(PROMETHEUS_TEXT);
      assertThat(TextParser.formatOf(null)).isEqualTo(PROMETHEUS_TEXT);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1a 1 | line 1: invalid metric name starting at '1a 1'",
        "a{b=1} 1 | line 1: expected '\"' to open the value of label b, got '1'",
        "a{b\"1\"} 1 | line 1: expected '=' after label name b, got '\"'",
        "a{b=\"1\" 1 | line 1: expected ',' or '}' after the value of label b",
        "a{b=\"1} 1 | line 1: unterminated value of label b",
        "a{b=\"1\",b=\"2\"} 1 | line 1: duplicate label name b",
        "a{1b=\"1\"} 1 | line 1: invalid label name starting at '1b=\"1\"} 1'",
        "a{b=\"\\x\"} 1 | line 1: invalid escape '\\x' in the value of label b",
        "a | line 1: missing value for a",
        "a 1x | line 1: invalid value '1x'",
        "a 1d | line 1: invalid value '1d'",
        "a 1 2 3 | line 1: unexpected text after the sample: '3'",
        "a 1 12.5 | line 1: invalid timestamp '12.5'",
        "# TYPE a countr | line 1: invalid metric type 'countr' for a",
        "a{b=\"1\"}} 1 | line 1: unexpected '}' after a",
        "a 1 # {x=\"y\"} 1 | line 1: unexpected text after the sample: '# {x=\"y\"} 1'"
      })
  void aMalformedLineFailsTheWholePayloadNamingTheLine(String line, String message) {
    assertThatThrownBy(() -> parse("ok 1\n" + line + "\n").size())
        .isInstanceOf(ExpositionException.class)
        .hasMessage(message.replace("line 1:", "line 2:"));
  }
}
