package io.scrapeshard.worker.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeshard.hashing.TargetKey;
import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * https targets: trusted through a CA file, refused without it, accepted with the explicit insecure
 * flag.
 */
// Vert.x' self-signed certificate helper is deprecated for removal but still the simplest way to
// get
// a throwaway certificate without shipping key material in the repository.
@SuppressWarnings("removal")
class HttpScraperTlsTest {

  Vertx vertx;
  HttpServer server;
  SelfSignedCertificate certificate;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    certificate = SelfSignedCertificate.create("localhost");
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setSsl(true)
                    .setKeyCertOptions(certificate.keyCertOptions()))
            .requestHandler(r -> r.response().putHeader("Content-Type", "text/plain").end("a 1\n"))
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterEach
  void stop() {
    server.close().await();
    vertx.close().await();
    certificate.delete();
  }

  private ScrapeTarget target() {
    String address = "localhost:" + server.actualPort();
    return new ScrapeTarget(
        TargetKey.of("https://" + address + "/metrics"),
        "https",
        address,
        "/metrics",
        Map.of(),
        Map.of(),
        "");
  }

  private HttpScraper.Payload scrape(Path ca, boolean insecure) {
    try (HttpScraper s =
        new HttpScraper(
            vertx, new HttpScraper.Options(Duration.ofSeconds(5), 0, null, ca, insecure))) {
      return s.scrape(target(), Duration.ofSeconds(5)).join();
    }
  }

  @Test
  void aCaFileMakesTheTargetTrusted() {
    assertThat(
            new String(
                scrape(Path.of(certificate.certificatePath()), false).body(),
                StandardCharsets.UTF_8))
        .isEqualTo("a 1\n");
  }

  @Test
  void anUnknownCertificateFailsTheScrape() {
    assertThatThrownBy(() -> scrape(null, false))
        .hasCauseInstanceOf(HttpScraper.ScrapeFailure.class);
  }

  @Test
  void theInsecureFlagAcceptsAnyCertificate() {
    assertThat(scrape(null, true).body()).hasSize(4);
  }
}
