package io.scrapeshard.worker.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sink path (with its series-text cache) reads exactly what the plain path reads. */
class CachedParseTest {

  /** A sink that remembers series texts across parses, like a scrape cache. */
  static final class Recorder implements TextParser.SeriesSink {
    final Map<String, Sample> known = new HashMap<>();
    final List<Sample> out = new ArrayList<>();
    int learned;

    @Override
    public Object known(byte[] b, int off, int len) {
      return known.get(new String(b, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public Object learn(byte[] b, int off, int len, String name, String[] labels) {
      learned++;
      Sample template = new Sample(name, labels, 0, Sample.NO_TIMESTAMP);
      known.put(new String(b, off, len, StandardCharsets.UTF_8), template);
      return template;
    }

    @Override
    public void sample(Object handle, double value, long timestampMillis) {
      Sample t = (Sample) handle;
      out.add(new Sample(t.name(), t.labels(), value, timestampMillis));
    }
  }

  static final String PAYLOAD =
      """
      # HELP http_requests_total The total.
      # TYPE http_requests_total counter
      http_requests_total{method="post",code="200"} 1027 1395066363000
      http_requests_total{method="post",code="400"}    3 1395066363000
      escaped{path="C:\\\\DIR\\\\FILE.TXT",error="a \\"b\\" } c"} 1
      spaced {a="1"} 2
      plain 12.47
      """;

  @Test
  void readsTheSameSamplesAndLearnsEachSeriesOnce() {
    byte[] b = PAYLOAD.getBytes(StandardCharsets.UTF_8);
    List<Sample> expected = TextParser.parse(b, b.length, TextParser.Format.PROMETHEUS_TEXT);
    Recorder sink = new Recorder();

    TextParser.parse(b, b.length, TextParser.Format.PROMETHEUS_TEXT, sink);
    TextParser.parse(b, b.length, TextParser.Format.PROMETHEUS_TEXT, sink);

    assertThat(sink.out.subList(0, expected.size())).containsExactlyElementsOf(expected);
    assertThat(sink.out.subList(expected.size(), sink.out.size()))
        .containsExactlyElementsOf(expected);
    assertThat(sink.learned).isEqualTo(expected.size());
    assertThat(sink.out.get(2).label("error")).isEqualTo("a \"b\" } c");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1a 1",
        "a{b=1} 1",
        "a{b=\"1} 1",
        "a 1x",
        "a{b=\"1\"}} 1",
        "a",
        "a{x=\"1\"} 1 2 3"
      })
  void failsOnTheSameLinesWithTheSameMessages(String line) {
    byte[] b = ("ok 1\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
    String expected = null;
    try {
      TextParser.parse(b, b.length, TextParser.Format.PROMETHEUS_TEXT);
    } catch (ExpositionException e) {
      expected = e.getMessage();
    }
    assertThat(expected).as("the plain parser rejects %s", line).isNotNull();

    assertThatThrownBy(
            () -> TextParser.parse(b, b.length, TextParser.Format.PROMETHEUS_TEXT, new Recorder()))
        .isInstanceOf(ExpositionException.class)
        .hasMessageStartingWith("line 2: ");
  }
}
