package io.scrapeshard.worker.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Debian's binaries the end-to-end tests run; a missing one fails with the install command. */
final class Binaries {

  static final String INSTALL =
      "apt-get update && apt-get install -y prometheus prometheus-node-exporter";

  private Binaries() {}

  static Path require(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(name + " is not installed; install it with: " + INSTALL);
  }
}
