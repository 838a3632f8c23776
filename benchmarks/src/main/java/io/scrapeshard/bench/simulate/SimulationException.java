package io.scrapeshard.bench.simulate;

/** A bad parameter or input of a simulation; the message names the value. */
public final class SimulationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SimulationException(String message) {
    super(message);
  }
}
