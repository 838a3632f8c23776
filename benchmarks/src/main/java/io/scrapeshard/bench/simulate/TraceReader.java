package io.scrapeshard.bench.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a real cluster snapshot: CSV with the header {@code namespace,pod,node,series} and one pod
 * per line. Blank lines are skipped. The nodes of the cluster are those that appear in the file.
 */
public final class TraceReader {

  private static final String HEADER = "namespace,pod,node,series";

  private TraceReader() {}

  /**
   * Reads {@code file}.
   *
   * @throws SimulationException naming the file, the line and the bad value
   */
  public static Cluster read(Path file) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(file, reader);
    } catch (IOException e) {
      throw new SimulationException("cannot read trace '" + file + "': " + describe(e));
    }
  }

  private static Cluster parse(Path file, BufferedReader reader) throws IOException {
    String header = reader.readLine();
    if (header == null || !header.strip().equals(HEADER)) {
      throw new SimulationException(
          "trace '"
              + file
              + "' line 1: expected the header '"
              + HEADER
              + "', got '"
              + header
              + "'");
    }
    Set<String> nodes = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    List<Pod> pods = new ArrayList<>();
    int lineNumber = 1;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      Pod pod = parseLine(file, lineNumber, line);
      if (!seen.add(pod.namespace() + "/" + pod.name())) {
        throw new SimulationException(
            "trace '"
                + file
                + "' line "
                + lineNumber
                + ": duplicate pod '"
                + pod.namespace()
                + "/"
                + pod.name()
                + "'");
      }
      nodes.add(pod.node());
      pods.add(pod);
    }
    return new Cluster(List.copyOf(nodes), pods);
  }

  private static Pod parseLine(Path file, int lineNumber, String line) {
    String where = "trace '" + file + "' line " + lineNumber + ": ";
    String[] f = line.split(",", -1);
    if (f.length != 4) {
      throw new SimulationException(
          where + "expected 4 fields " + HEADER + ", got " + f.length + " in '" + line + "'");
    }
    for (int i = 0; i < 3; i++) {
      String name = f[i].strip();
      if (name.isEmpty() || name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
        throw new SimulationException(
            where
                + HEADER.split(",")[i]
                + " must be a non-empty name without '/' or spaces, got '"
                + f[i]
                + "'");
      }
    }
    long series;
    try {
      series = Long.parseLong(f[3].strip());
    } catch (NumberFormatException e) {
      series = -1;
    }
    if (series < 0) {
      throw new SimulationException(where + "series must be an integer >= 0, got '" + f[3] + "'");
    }
    return new Pod(f[0].strip(), f[1].strip(), f[2].strip(), series);
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
