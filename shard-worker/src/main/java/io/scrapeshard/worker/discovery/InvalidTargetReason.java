package io.scrapeshard.worker.discovery;

/** Why a discovered target was skipped; the label value of the invalid-targets counter. */
public enum InvalidTargetReason {
  /** {@code prometheus.io/port} is missing. */
  PORT_MISSING,
  /** {@code prometheus.io/port} is not a number from 1 to 65535. */
  PORT_INVALID,
  /** {@code prometheus.io/scheme} is neither {@code http} nor {@code https}. */
  SCHEME_INVALID,
  /** {@code prometheus.io/path} does not start with {@code /} or contains whitespace. */
  PATH_INVALID,
  /** a {@code prometheus.io/param_<name>} annotation has an invalid name. */
  PARAM_NAME_INVALID,
  /** a file_sd entry is malformed (bad address, label or meta label). */
  FILE_ENTRY_INVALID;

  /** The name used in metrics and logs. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
