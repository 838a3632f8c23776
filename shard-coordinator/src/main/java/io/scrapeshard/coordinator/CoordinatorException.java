package io.scrapeshard.coordinator;

/** A coordination failure or bad input; the message names the path or the value. */
public final class CoordinatorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CoordinatorException(String message) {
    super(message);
  }

  public CoordinatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
