package io.scrapeshard.worker.exposition;

/** A payload that is not valid exposition text; the message names the line and the problem. */
public final class ExpositionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int line;

  public ExpositionException(int line, String problem) {
    super("line " + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line of the problem. */
  public int line() {
    return line;
  }
}
