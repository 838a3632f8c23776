package io.scrapeshard.bench;

/** Placeholder. */
public final class BenchCli {
  private BenchCli() {}

  public static void main(String[] args) {}
}
