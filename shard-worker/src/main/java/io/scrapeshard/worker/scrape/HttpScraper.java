package io.scrapeshard.worker.scrape;

import io.scrapeshard.worker.discovery.ScrapeTarget;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches a target's metrics with Vert.x' HTTP client (the layer under WebClient, used directly
 * because a body-size limit needs the streamed body): pooled keep-alive connections, gzip, an
 * {@code Accept} header like Prometheus', a total deadline enforced by a timer (Vert.x' own
 * timeouts are per connect and idle only), https with a CA file or an explicit insecure flag, and
 * an optional bearer token read from a file at every scrape (so a rotated token is picked up).
 *
 * <p>Thread-safe; the futures complete on a Vert.x event-loop thread.
 */
public final class HttpScraper implements AutoCloseable {

  /** What Prometheus asks for: OpenMetrics preferred, then text 0.0.4. */
  public static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";

  /**
   * Scrape options.
   *
   * @param timeout the total deadline of one scrape
   * @param bodyLimitBytes largest (decompressed) body accepted; 0 for no limit
   * @param bearerTokenFile a file whose content is sent as {@code Authorization: Bearer}; or null
   * @param caFile PEM certificates to trust for https; or null for the JVM's
   * @param insecureSkipVerify trust any certificate and host name (explicit opt-in)
   */
  public record Options(
      Duration timeout,
      long bodyLimitBytes,
      Path bearerTokenFile,
      Path caFile,
      boolean insecureSkipVerify) {
    public Options {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("scrape timeout must be positive, got " + timeout);
      }
      if (bodyLimitBytes < 0) {
        throw new IllegalArgumentException("body size limit must be >= 0, got " + bodyLimitBytes);
      }
    }

    /** 10 s, 64 MiB, no token, JVM trust. */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(10), 64L << 20, null, null, false);
    }
  }

  /** A fetched payload. */
  public record Payload(byte[] body, String contentType) {}

  /** Why a scrape failed, as Prometheus would report it; {@code up} is 0. */
  public static final class ScrapeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScrapeFailure(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final HttpClientAgent client;

  public HttpScraper(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    HttpClientOptions http =
        new HttpClientOptions()
            .setDecompressionSupported(true)
            .setKeepAlive(true)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis()));
    if (options.insecureSkipVerify()) {
      http.setTrustAll(true).setVerifyHost(false);
    } else if (options.caFile() != null) {
      http.setTrustOptions(new PemTrustOptions().addCertPath(options.caFile().toString()));
    }
    this.client = vertx.createHttpClient(http, new PoolOptions().setHttp1MaxSize(4));
  }

  /** Fetches {@code target}; fails with a {@link ScrapeFailure} saying why. */
  public CompletableFuture<Payload> scrape(ScrapeTarget target, Duration timeout) {
    CompletableFuture<Payload> result = new CompletableFuture<>();
    RequestOptions request;
    try {
      request = request(target, timeout);
    } catch (IOException e) {
      result.completeExceptionally(
          new ScrapeFailure("cannot read bearer token file: " + e.getMessage()));
      return result;
    }
    long timer =
        vertx.setTimer(
            timeout.toMillis(),
            id ->
                result.completeExceptionally(
                    new ScrapeFailure(
                        "context deadline exceeded (timeout " + timeout.toMillis() + " ms)")));
    result.whenComplete((p, e) -> vertx.cancelTimer(timer));
    client
        .request(request)
        .onSuccess(
            req -> {
              result.whenComplete(
                  (p, e) -> {
                    if (e != null) {
                      req.reset(); // the deadline passed: stop reading
                    }
                  });
              // the response callback is registered before the request goes out, so it runs as
              // the response head arrives, before any body chunk (a callback chained after
              // send() could run after the end: "Response already ended")
              req.response()
                  .onSuccess(response -> read(response, result))
                  .onFailure(e -> result.completeExceptionally(new ScrapeFailure(describe(e))));
              req.end();
            })
        .onFailure(e -> result.completeExceptionally(new ScrapeFailure(describe(e))));
    return result;
  }

  private RequestOptions request(ScrapeTarget target, Duration timeout) throws IOException {
    RequestOptions r =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(target.uri().toString())
            .putHeader("Accept", ACCEPT)
            .putHeader("Accept-Encoding", "gzip")
            .putHeader("User-Agent", "scrape-shard/0.1")
            .putHeader(
                "X-Prometheus-Scrape-Timeout-Seconds",
                String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0));
    if (options.bearerTokenFile() != null) {
      r.putHeader(
          "Authorization",
          "Bearer " + Files.readString(options.bearerTokenFile(), StandardCharsets.UTF_8).strip());
    }
    return r;
  }

  private void read(HttpClientResponse response, CompletableFuture<Payload> result) {
    if (response.statusCode() != 200) {
      result.completeExceptionally(
          new ScrapeFailure(
              "server returned HTTP status "
                  + response.statusCode()
                  + " "
                  + response.statusMessage()));
      response.request().reset();
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(
        chunk -> {
          if (options.bodyLimitBytes() > 0
              && body.length() + chunk.length() > options.bodyLimitBytes()) {
            result.completeExceptionally(
                new ScrapeFailure(
                    "body size limit exceeded (" + options.bodyLimitBytes() + " bytes)"));
            // fail first: the reset reports a stream error of its own
            response.request().reset();
            return;
          }
          body.appendBuffer(chunk);
        });
    response.exceptionHandler(e -> result.completeExceptionally(new ScrapeFailure(describe(e))));
    response.endHandler(
        v -> result.complete(new Payload(body.getBytes(), response.getHeader("Content-Type"))));
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  @Override
  public void close() {
    client.close();
  }
}
