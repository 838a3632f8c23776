package io.scrapeshard.worker.api;

import io.scrapeshard.coordinator.CoordinatorException;
import io.scrapeshard.coordinator.EpochList;
import io.scrapeshard.coordinator.PeerEpochs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a peer's epoch list from its {@code GET /api/v1/epochs} (DESIGN.md rule 10), with a short
 * timeout; any failure is "not reachable".
 */
public final class HttpPeerEpochs implements PeerEpochs {

  private static final Logger LOG = LoggerFactory.getLogger(HttpPeerEpochs.class);

  private final HttpClient http;
  private final Duration timeout;
  private final String bearerToken;

  public HttpPeerEpochs(Duration timeout) {
    this(timeout, null);
  }

  /** With {@code bearerToken} (or null) sent to peers whose API requires one. */
  public HttpPeerEpochs(Duration timeout, String bearerToken) {
    this.timeout = timeout;
    this.bearerToken = bearerToken;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public Optional<EpochList> fetch(String id, String address) {
    if (address == null || address.isBlank()) {
      return Optional.empty();
    }
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://" + address + "/api/v1/epochs"))
              .timeout(timeout);
      if (bearerToken != null) {
        request.header("Authorization", "Bearer " + bearerToken);
      }
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      return Optional.of(EpochList.fromJson(response.body()));
    } catch (IOException | IllegalArgumentException | CoordinatorException e) {
      LOG.debug("peer {} at {}: {}", id, address, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
