package io.scrapeshard.worker.discovery;

/** Prometheus label names: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
public final class LabelNames {

  private LabelNames() {}

  /** Whether {@code name} is a valid label name. */
  public static boolean valid(String name) {
    if (name == null || name.isEmpty() || Character.isDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!allowed(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code name} with every invalid character replaced by {@code _}, and a leading {@code _} if it
   * would start with a digit — as Prometheus' Kubernetes discovery sanitises pod label names.
   */
  public static String sanitize(String name) {
    StringBuilder out = new StringBuilder(name.length() + 1);
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      out.append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(allowed(c) ? c : '_');
    }
    return out.toString();
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
