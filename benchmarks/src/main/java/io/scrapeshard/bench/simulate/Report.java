package io.scrapeshard.bench.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats results as a table, one JSON object, or CSV. */
public final class Report {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /** {@code {"params": {...}, "results": [{"strategy": ..., figures...}, ...]}} on one line. */
  public static String json(Map<String, Object> params, List<Result> results) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("params", params);
    root.put("results", results.stream().map(Result::figures).toList());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write results as JSON", e);
    }
  }

  /** A header line, then one line per strategy. */
  public static String csv(List<Result> results) {
    StringBuilder out = new StringBuilder("strategy," + String.join(",", Result.FIGURES) + "\n");
    for (Result r : results) {
      List<String> cells = new ArrayList<>();
      r.figures().values().forEach(v -> cells.add(v == null ? "" : String.valueOf(v)));
      out.append(String.join(",", cells)).append('\n');
    }
    return out.toString();
  }

  /** An aligned table for people, with the parameters above it. */
  public static String table(Map<String, Object> params, List<Result> results) {
    StringBuilder out = new StringBuilder();
    params.forEach((k, v) -> out.append(k).append('=').append(v).append("  "));
    out.append("\n\n");
    List<String> header = new ArrayList<>(List.of("strategy"));
    header.addAll(List.of(Result.FIGURES));
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    for (Result r : results) {
      List<String> row = new ArrayList<>();
      r.figures().values().forEach(v -> row.add(cell(v)));
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        String fmt = i == 0 ? "%-" + width[i] + "s" : "  %" + width[i] + "s";
        out.append(String.format(Locale.ROOT, fmt, row.get(i)));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String cell(Object v) {
    if (v == null) {
      return "n/a";
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.4f", d);
    }
    return String.valueOf(v);
  }
}
