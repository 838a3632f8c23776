package io.scrapeshard.worker.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scrapeshard.hashing.TargetKey;
import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpScraperTest {

  static final String PAYLOAD = "# TYPE a counter\na_total 1\n";

  Vertx vertx;
  HttpServer server;
  HttpScraper scraper;
  final CountDownLatch release = new CountDownLatch(1);
  volatile String lastAuthorization;
  volatile String lastAccept;

  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    vertx = Vertx.vertx();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/metrics",
        e ->
            reply(
                e,
                200,
                PAYLOAD.getBytes(StandardCharsets.UTF_8),
                false,
                "text/plain; version=0.0.4"));
    server.createContext(
        "/gzip", e -> reply(e, 200, PAYLOAD.getBytes(StandardCharsets.UTF_8), true, "text/plain"));
    server.createContext("/big", e -> reply(e, 200, new byte[200_000], false, "text/plain"));
    server.createContext("/error", e -> reply(e, 500, new byte[0], false, "text/plain"));
    server.createContext(
        "/slow",
        e -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
          reply(e, 200, PAYLOAD.getBytes(StandardCharsets.UTF_8), false, "text/plain");
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (scraper != null) {
      scraper.close();
    }
    server.stop(0);
    vertx.close().await();
  }

  private void reply(HttpExchange e, int status, byte[] body, boolean gzip, String type)
      throws IOException {
    lastAuthorization = e.getRequestHeaders().getFirst("Authorization");
    lastAccept = e.getRequestHeaders().getFirst("Accept");
    byte[] out = body;
    if (gzip) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(b)) {
        z.write(body);
      }
      out = b.toByteArray();
      e.getResponseHeaders().add("Content-Encoding", "gzip");
    }
    e.getResponseHeaders().add("Content-Type", type);
    e.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    try (OutputStream os = e.getResponseBody()) {
      os.write(out);
    }
  }

  private ScrapeTarget target(String path) {
    String address = "127.0.0.1:" + server.getAddress().getPort();
    return new ScrapeTarget(
        TargetKey.of("http://" + address + path), "http", address, path, Map.of(), Map.of(), "");
  }

  private HttpScraper scraper(HttpScraper.Options o) {
    scraper = new HttpScraper(vertx, o);
    return scraper;
  }

  @Test
  void fetchesTheBodyWithPrometheusHeaders() {
    HttpScraper.Payload p =
        scraper(HttpScraper.Options.defaults())
            .scrape(target("/metrics"), Duration.ofSeconds(5))
            .join();

    assertThat(new String(p.body(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
    assertThat(p.contentType()).isEqualTo("text/plain; version=0.0.4");
    assertThat(lastAccept).isEqualTo(HttpScraper.ACCEPT);
  }

  @Test
  void decompressesGzip() {
    HttpScraper.Payload p =
        scraper(HttpScraper.Options.defaults())
            .scrape(target("/gzip"), Duration.ofSeconds(5))
            .join();

    assertThat(new String(p.body(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
  }

  @Test
  void sendsTheBearerTokenFromItsFileAtEveryScrape() throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    HttpScraper s = scraper(new HttpScraper.Options(Duration.ofSeconds(5), 0, token, null, false));

    s.scrape(target("/metrics"), Duration.ofSeconds(5)).join();
    assertThat(lastAuthorization).isEqualTo("Bearer first");
    Files.writeString(token, "second");
    s.scrape(target("/metrics"), Duration.ofSeconds(5)).join();
    assertThat(lastAuthorization).isEqualTo("Bearer second");
  }

  @Test
  void failuresSayWhyAsPrometheusDoes() {
    HttpScraper s =
        scraper(new HttpScraper.Options(Duration.ofSeconds(5), 100_000, null, null, false));

    for (var c :
        List.of(
            Map.entry("/error", "server returned HTTP status 500"),
            Map.entry("/big", "body size limit exceeded (100000 bytes)"))) {
      assertThatThrownBy(() -> s.scrape(target(c.getKey()), Duration.ofSeconds(5)).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(HttpScraper.ScrapeFailure.class)
          .hasMessageContaining(c.getValue());
    }
  }

  @Test
  void theDeadlineCoversTheWholeScrape() {
    HttpScraper s = scraper(HttpScraper.Options.defaults());
    long start = System.nanoTime();

    assertThatThrownBy(() -> s.scrape(target("/slow"), Duration.ofMillis(300)).join())
        .hasCauseInstanceOf(HttpScraper.ScrapeFailure.class)
        .hasMessageContaining("context deadline exceeded (timeout 300 ms)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void anUnreachableTargetFails() throws IOException {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ScrapeTarget gone =
        new ScrapeTarget(
            TargetKey.of("http://127.0.0.1:" + port + "/metrics"),
            "http",
            "127.0.0.1:" + port,
            "/metrics",
            Map.of(),
            Map.of(),
            "");

    assertThatThrownBy(
            () ->
                scraper(HttpScraper.Options.defaults()).scrape(gone, Duration.ofSeconds(2)).join())
        .hasCauseInstanceOf(HttpScraper.ScrapeFailure.class);
  }
}
