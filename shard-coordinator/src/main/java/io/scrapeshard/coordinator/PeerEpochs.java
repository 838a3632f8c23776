package io.scrapeshard.coordinator;

import java.util.Optional;

/**
 * How a worker cut off from ZooKeeper reads its peers' epoch lists (DESIGN.md rule 10). The worker
 * implements it over HTTP ({@code GET /api/v1/epochs}); tests implement it in-process.
 *
 * <p>Called from the coordinator's peer thread, one peer at a time, only while this worker is not
 * connected to ZooKeeper. Implementations must time out on their own (a second or two) and return
 * empty when the peer cannot be reached or answers nonsense.
 */
@FunctionalInterface
public interface PeerEpochs {

  /** Never reaches anyone: a cut-off worker keeps scraping by its own list. */
  PeerEpochs NONE = (id, address) -> Optional.empty();

  /** The epoch list that peer {@code id} at {@code address} serves now. */
  Optional<EpochList> fetch(String id, String address);
}
