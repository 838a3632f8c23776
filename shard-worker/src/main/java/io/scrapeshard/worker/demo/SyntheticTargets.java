package io.scrapeshard.worker.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code count} scrape targets on one loopback port, at {@code /t/<i>/metrics}, each serving the
 * same payload (by default a real node-exporter one, which the parser benchmark reads too), and the
 * file_sd file that lists them. Used by the demo and the benchmarks.
 */
public final class SyntheticTargets implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final int count;
  private final byte[] payload;

  /** Targets serving the node-exporter payload. */
  public SyntheticTargets(int count) {
    this(count, nodeExporterPayload());
  }

  /** Targets serving {@code payload} (text format 0.0.4). */
  public SyntheticTargets(int count, byte[] payload) {
    if (count < 1) {
      throw new IllegalArgumentException("targets must be >= 1, got " + count);
    }
    this.count = count;
    this.payload = payload.clone();
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the synthetic targets' port", e);
    }
    server.setExecutor(executor);
    server.createContext(
        "/t/",
        e -> {
          e.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          e.sendResponseHeaders(200, payload.length);
          try (OutputStream os = e.getResponseBody()) {
            os.write(payload);
          }
        });
    server.start();
  }

  /** The node-exporter payload shipped with this jar. */
  public static byte[] nodeExporterPayload() {
    try (InputStream in =
        SyntheticTargets.class.getResourceAsStream("/payloads/node-exporter.txt")) {
      if (in == null) {
        throw new IllegalStateException("payloads/node-exporter.txt is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Samples in one scrape of one target (lines that are neither comments nor blank). */
  public long samplesPerScrape() {
    return new String(payload, StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .count();
  }

  /** Writes the file_sd JSON listing every target with {@code job} and a {@code target} label. */
  public Path writeFileSd(Path file, String job) throws IOException {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",")
          .append("\n{\"targets\":[\"127.0.0.1:")
          .append(port())
          .append("\"],\"labels\":{\"job\":\"")
          .append(job)
          .append("\",\"target\":\"t")
          .append(i)
          .append("\",\"__metrics_path__\":\"/t/")
          .append(i)
          .append("/metrics\"}}");
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, json.append("\n]\n").toString());
    return Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
