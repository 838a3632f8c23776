package io.scrapeshard.bench.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak resident memory of a Linux process, read from {@code /proc}. */
final class ProcStats {

  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on Linux x86-64. */
  static final double TICKS = 100.0;

  private ProcStats() {}

  /** User plus system CPU seconds of {@code pid} so far. */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the command: state is field 3; utime and stime are fields 14 and 15
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
  }

  /** Peak resident set size of {@code pid} in MiB ({@code VmHWM}). */
  static double peakRssMib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IOException("no VmHWM for pid " + pid);
  }
}
