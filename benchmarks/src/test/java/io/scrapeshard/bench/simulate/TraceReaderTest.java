package io.scrapeshard.bench.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceReaderTest {

  @TempDir Path dir;

  @Test
  void readsPodsAndTheirNodesSkippingBlankLines() throws IOException {
    Path trace =
        write("namespace,pod,node,series\ndefault,web-0,n1,100\n\nkube-system,dns,n2,40\n");

    Cluster c = TraceReader.read(trace);

    assertThat(c.nodes()).containsExactly("n1", "n2");
    assertThat(c.pods())
        .containsExactly(
            new Pod("default", "web-0", "n1", 100), new Pod("kube-system", "dns", "n2", 40));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "namespace,pod,node,series\\ndefault,web-0,n1 | line 2: expected 4 fields namespace,pod,node,series, got 3 in 'default,web-0,n1'",
        "namespace,pod,node,series\\ndefault,web-0,n1,lots | line 2: series must be an integer >= 0, got 'lots'",
        "namespace,pod,node,series\\ndefault,web-0,n1,-3 | line 2: series must be an integer >= 0, got '-3'",
        "namespace,pod,node,series\\na,p,n,1\\na,p,m,2 | line 3: duplicate pod 'a/p'",
        "namespace,pod,node,series\\na,p/q,n,1 | line 2: pod must be a non-empty name without '/' or spaces, got 'p/q'",
        "ns,pod,node,series\\na,p,n,1 | line 1: expected the header 'namespace,pod,node,series', got 'ns,pod,node,series'"
      })
  void rejectsAMalformedLineNamingTheLineAndValue(String content, String expected)
      throws IOException {
    Path trace = write(content.replace("\\n", "\n"));

    assertThatThrownBy(() -> TraceReader.read(trace))
        .isInstanceOf(SimulationException.class)
        .hasMessage("trace '" + trace + "' " + expected);
  }

  @Test
  void rejectsAMissingFileNamingIt() {
    Path missing = dir.resolve("missing.csv");

    assertThatThrownBy(() -> TraceReader.read(missing))
        .isInstanceOf(SimulationException.class)
        .hasMessage("cannot read trace '" + missing + "': no such file");
  }

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("trace.csv"), content);
  }
}
