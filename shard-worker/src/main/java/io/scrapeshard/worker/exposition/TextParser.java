package io.scrapeshard.worker.exposition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text into samples, with
 * the semantics of Prometheus' own parsers: {@code HELP}/{@code TYPE} (and {@code UNIT}) lines
 * checked, other comments skipped, escaped label values ({@code \\}, {@code \"}, {@code \n}), NaN
 * and ±Inf, optional timestamps (milliseconds in 0.0.4, seconds in OpenMetrics), histogram and
 * summary series as their plain samples, exemplars ignored, and OpenMetrics' {@code # EOF}
 * required. Anything else fails the whole payload with an {@link ExpositionException} naming the
 * line.
 *
 * <pre>{@code
 * List<Sample> samples = TextParser.parse(body, body.length, TextParser.formatOf(contentType));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TextParser {

  /** The two text formats. */
  public enum Format {
    /** {@code text/plain; version=0.0.4}. */
    PROMETHEUS_TEXT,
    /** {@code application/openmetrics-text; version=1.0.0}. */
    OPENMETRICS_TEXT
  }

  private static final Set<String> TYPES =
      Set.of(
          "counter",
          "gauge",
          "histogram",
          "summary",
          "untyped",
          "unknown",
          "gaugehistogram",
          "stateset",
          "info");

  /**
   * Receives the samples of a parse that skips re-reading series it has seen before, the way
   * Prometheus' scrape cache does: the parser asks whether the raw text of a sample's series (its
   * name and label set, exactly as exposed) is known; only if not does it parse the labels and ask
   * the sink to learn them. Handles are the sink's own objects.
   */
  public interface SeriesSink {
    /** The handle for the series text {@code b[off, off + len)}, or null if unknown. */
    Object known(byte[] b, int off, int len);

    /** A new series text with its parsed name and sorted labels; returns its handle. */
    Object learn(byte[] b, int off, int len, String name, String[] labels);

    /** One sample of the series behind {@code handle}. */
    void sample(Object handle, double value, long timestampMillis);
  }

  private TextParser() {}

  /**
   * Parses {@code body[0, length)} into {@code sink}, with the same rules and errors as {@link
   * #parse(byte[], int, Format)}.
   */
  public static void parse(byte[] body, int length, Format format, SeriesSink sink) {
    new Cursor(body, length, format == Format.OPENMETRICS_TEXT, null, sink).run();
  }

  /** The format a {@code Content-Type} header announces; Prometheus text when unsure. */
  public static Format formatOf(String contentType) {
    return contentType != null
            && contentType.toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text")
        ? Format.OPENMETRICS_TEXT
        : Format.PROMETHEUS_TEXT;
  }

  /**
   * The samples of {@code body[0, length)}.
   *
   * @throws ExpositionException on the first malformed line
   */
  public static List<Sample> parse(byte[] body, int length, Format format) {
    List<Sample> out = new ArrayList<>();
    new Cursor(body, length, format == Format.OPENMETRICS_TEXT, out, null).run();
    return out;
  }

  /** One pass over a payload; holds the position and the line being read. */
  private static final class Cursor {
    private final byte[] b;
    private final int end;
    private final boolean openMetrics;
    private final List<Sample> out;
    private final SeriesSink sink;
    private int pos;
    private int line;
    private int lineEnd;
    private boolean eof;
    private final List<String> labels = new ArrayList<>(16);

    Cursor(byte[] b, int end, boolean openMetrics, List<Sample> out, SeriesSink sink) {
      this.b = b;
      this.end = end;
      this.openMetrics = openMetrics;
      this.out = out;
      this.sink = sink;
    }

    void run() {
      while (pos < end) {
        line++;
        lineEnd = pos;
        while (lineEnd < end && b[lineEnd] != '\n') {
          lineEnd++;
        }
        if (eof) {
          throw error("content after # EOF");
        }
        readLine();
        pos = lineEnd + 1;
      }
      if (openMetrics && !eof) {
        throw new ExpositionException(line, "OpenMetrics payload does not end with # EOF");
      }
    }

    private void readLine() {
      skipBlanks();
      if (pos == lineEnd) {
        return;
      }
      if (b[pos] == '#') {
        comment();
      } else {
        sample();
      }
    }

    private void comment() {
      pos++;
      if (openMetrics && lineEnd - pos == 4 && startsWith(" EOF")) {
        eof = true;
        return;
      }
      if (pos >= lineEnd || (b[pos] != ' ' && b[pos] != '\t')) {
        return; // "#comment"
      }
      skipBlanks();
      String keyword = token();
      if (!keyword.equals("HELP") && !keyword.equals("TYPE") && !keyword.equals("UNIT")) {
        return; // an ordinary comment
      }
      skipBlanks();
      String name = metricName();
      if (keyword.equals("TYPE")) {
        skipBlanks();
        String type = token();
        if (!TYPES.contains(type)) {
          throw error("invalid metric type '" + type + "' for " + name);
        }
        expectEndAfterBlanks();
      }
    }

    /**
     * One sample line. With a sink, the series text is looked up first and its labels are parsed
     * only if it is unknown; otherwise every line is parsed in full.
     */
    private void sample() {
      int start = pos;
      Object handle = null;
      if (sink != null) {
        int seriesEnd = seriesTextEnd();
        handle = seriesEnd > start ? sink.known(b, start, seriesEnd - start) : null;
        if (handle != null) {
          pos = seriesEnd;
        }
      }
      String name = null;
      String[] sorted = null;
      if (handle == null) {
        name = metricName();
        labelSet();
        sorted = sortedLabels();
        if (sink != null) {
          handle = sink.learn(b, start, pos - start, name, sorted);
        }
      }
      String series = name != null ? name : "the series";
      if (pos >= lineEnd || !isBlank(b[pos])) {
        throw error(
            pos >= lineEnd
                ? "missing value for " + series
                : "unexpected '" + (char) b[pos] + "' after " + series);
      }
      skipBlanks();
      double value = number(token(), "value");
      long timestamp = Sample.NO_TIMESTAMP;
      skipBlanks();
      if (pos < lineEnd && b[pos] != '#') {
        timestamp = timestamp(token());
        skipBlanks();
      }
      if (pos < lineEnd && (!openMetrics || b[pos] != '#')) {
        throw error("unexpected text after the sample: '" + rest() + "'");
      }
      // (an OpenMetrics exemplar after '#' is ignored, as Prometheus does without exemplar storage)
      if (sink != null) {
        sink.sample(handle, value, timestamp);
      } else {
        out.add(new Sample(name, sorted, value, timestamp));
      }
    }

    /** The optional label set after a metric name; a blank may precede it, as in Prometheus. */
    private void labelSet() {
      labels.clear();
      int afterName = pos;
      skipBlanks();
      if (pos < lineEnd && b[pos] == '{') {
        pos++;
        labelPairs();
      } else {
        pos = afterName;
      }
    }

    /**
     * Where the series text of the sample at {@code pos} ends (after the name, or after the closing
     * brace of its labels), found without parsing; {@code pos} itself if it looks wrong, which
     * sends the line through the full parser and its error messages.
     */
    private int seriesTextEnd() {
      int p = pos;
      while (p < lineEnd && !isBlank(b[p]) && b[p] != '{') {
        p++;
      }
      int q = p;
      while (q < lineEnd && isBlank(b[q])) {
        q++;
      }
      if (q >= lineEnd || b[q] != '{') {
        return p;
      }
      boolean quoted = false;
      for (q++; q < lineEnd; q++) {
        byte c = b[q];
        if (quoted && c == '\\') {
          q++;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (!quoted && c == '}') {
          return q + 1;
        }
      }
      return pos;
    }

    private void labelPairs() {
      while (true) {
        skipBlanks();
        if (pos >= lineEnd) {
          throw error("unterminated label set");
        }
        if (b[pos] == '}') {
          pos++;
          return;
        }
        String labelName = labelName();
        skipBlanks();
        expect('=', "'=' after label name " + labelName);
        skipBlanks();
        expect('"', "'\"' to open the value of label " + labelName);
        String value = quoted(labelName);
        for (int i = 0; i < labels.size(); i += 2) {
          if (labels.get(i).equals(labelName)) {
            throw error("duplicate label name " + labelName);
          }
        }
        labels.add(labelName);
        labels.add(value);
        skipBlanks();
        if (pos < lineEnd && b[pos] == ',') {
          pos++;
        } else if (pos >= lineEnd || b[pos] != '}') {
          throw error("expected ',' or '}' after the value of label " + labelName);
        }
      }
    }

    private String quoted(String labelName) {
      int start = pos;
      boolean escaped = false;
      while (pos < lineEnd && b[pos] != '"') {
        if (b[pos] == '\\') {
          escaped = true;
          pos++;
        }
        pos++;
      }
      if (pos >= lineEnd) {
        throw error("unterminated value of label " + labelName);
      }
      String raw = new String(b, start, pos - start, StandardCharsets.UTF_8);
      pos++; // closing quote
      return escaped ? unescape(raw, labelName) : raw;
    }

    private String unescape(String raw, String labelName) {
      StringBuilder s = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c != '\\') {
          s.append(c);
          continue;
        }
        char next = ++i < raw.length() ? raw.charAt(i) : '?';
        switch (next) {
          case '\\' -> s.append('\\');
          case '"' -> s.append('"');
          case 'n' -> s.append('\n');
          default ->
              throw error("invalid escape '\\" + next + "' in the value of label " + labelName);
        }
      }
      return s.toString();
    }

    private String metricName() {
      int start = pos;
      while (pos < lineEnd && isNameChar(b[pos], pos == start, true)) {
        pos++;
      }
      if (pos == start) {
        throw error("invalid metric name starting at '" + rest() + "'");
      }
      return new String(b, start, pos - start, StandardCharsets.US_ASCII);
    }

    private String labelName() {
      int start = pos;
      while (pos < lineEnd && isNameChar(b[pos], pos == start, false)) {
        pos++;
      }
      if (pos == start) {
        throw error("invalid label name starting at '" + rest() + "'");
      }
      return new String(b, start, pos - start, StandardCharsets.US_ASCII);
    }

    private double number(String text, String what) {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "nan":
          return Double.NaN;
        case "+inf", "inf", "+infinity", "infinity":
          return Double.POSITIVE_INFINITY;
        case "-inf", "-infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (!((c >= '0' && c <= '9')
            || c == '.'
            || c == 'e'
            || c == 'E'
            || c == '+'
            || c == '-'
            || c == '_')) {
          throw error("invalid " + what + " '" + text + "'");
        }
      }
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw error("invalid " + what + " '" + text + "'");
      }
    }

    private long timestamp(String text) {
      if (openMetrics) {
        double seconds = number(text, "timestamp");
        if (!Double.isFinite(seconds)) {
          throw error("invalid timestamp '" + text + "'");
        }
        return Math.round(seconds * 1000);
      }
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw error("invalid timestamp '" + text + "'");
      }
    }

    private String[] sortedLabels() {
      int n = labels.size() / 2;
      String[] pairs = new String[labels.size()];
      for (int i = 0; i < n; i++) {
        String name = labels.get(2 * i);
        String value = labels.get(2 * i + 1);
        int j = i;
        while (j > 0 && pairs[2 * (j - 1)].compareTo(name) > 0) { // insertion sort: few labels
          pairs[2 * j] = pairs[2 * (j - 1)];
          pairs[2 * j + 1] = pairs[2 * (j - 1) + 1];
          j--;
        }
        pairs[2 * j] = name;
        pairs[2 * j + 1] = value;
      }
      return pairs;
    }

    private String token() {
      int start = pos;
      while (pos < lineEnd && !isBlank(b[pos])) {
        pos++;
      }
      return new String(b, start, pos - start, StandardCharsets.UTF_8);
    }

    private void expect(char c, String what) {
      if (pos >= lineEnd || b[pos] != c) {
        throw error(
            "expected "
                + what
                + (pos < lineEnd ? ", got '" + (char) b[pos] + "'" : ", got end of line"));
      }
      pos++;
    }

    private void expectEndAfterBlanks() {
      skipBlanks();
      if (pos < lineEnd) {
        throw error("unexpected text '" + rest() + "'");
      }
    }

    private boolean startsWith(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (pos + i >= lineEnd || b[pos + i] != s.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private void skipBlanks() {
      while (pos < lineEnd && isBlank(b[pos])) {
        pos++;
      }
    }

    private String rest() {
      int len = Math.min(lineEnd - pos, 40);
      return new String(b, pos, Math.max(0, len), StandardCharsets.UTF_8);
    }

    private ExpositionException error(String problem) {
      return new ExpositionException(line, problem);
    }

    private static boolean isBlank(byte c) {
      return c == ' ' || c == '\t';
    }

    private static boolean isNameChar(byte c, boolean first, boolean colonAllowed) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || c == '_'
          || (colonAllowed && c == ':')
          || (!first && c >= '0' && c <= '9');
    }
  }
}
