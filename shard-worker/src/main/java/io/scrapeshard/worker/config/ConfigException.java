package io.scrapeshard.worker.config;

import java.util.List;

/** A configuration that cannot be used; the message lists every problem with its key and value. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super("invalid configuration (" + source + "):\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, each naming the key, the bad value and the reason. */
  public List<String> problems() {
    return problems;
  }
}
