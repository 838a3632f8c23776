package io.scrapeshard.coordinator;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule 10: while cut off from ZooKeeper, learn newer epoch lists from peers. A list from a peer is
 * a list the leader published, so it is merged like one read from ZooKeeper: if it evicted this
 * member (or names a replacement process for its id), this worker stops owning slots exactly when
 * that epoch takes effect. A whole-ensemble outage publishes nothing, so nobody stops.
 *
 * <p>Runs on the coordinator's peer thread; hands what it learns to the event thread.
 */
final class PeerCatchUp {

  private static final Logger LOG = LoggerFactory.getLogger(PeerCatchUp.class);

  private final LocalView view;
  private final MemberDirectory directory;
  private final PeerEpochs peers;
  private final Executor events;

  PeerCatchUp(LocalView view, MemberDirectory directory, PeerEpochs peers, Executor events) {
    this.view = view;
    this.directory = directory;
    this.peers = peers;
    this.events = events;
  }

  /** Asks the members of the known epochs, one at a time, until one serves a newer list. */
  void askOnce() {
    long ours = view.epochs().newest().map(Epoch::number).orElse(0L);
    Set<String> asked = new HashSet<>();
    for (Epoch e : view.epochs().epochs()) {
      for (var m : e.members()) {
        if (m.id().equals(view.self()) || !asked.add(m.id())) {
          continue;
        }
        Optional<EpochList> theirs = fetch(m.id(), directory.addressOf(m.id()));
        if (theirs.flatMap(EpochList::newest).map(Epoch::number).orElse(0L) > ours) {
          LOG.info(
              "member {} (cut off from ZooKeeper) learned epoch {} from peer {}",
              view.self(),
              theirs.get().newest().orElseThrow().number(),
              m.id());
          events.execute(() -> view.learnFromPeer(theirs.get()));
          return;
        }
      }
    }
  }

  private Optional<EpochList> fetch(String id, String address) {
    try {
      return peers.fetch(id, address);
    } catch (RuntimeException e) {
      LOG.debug("peer {} at {} unreachable: {}", id, address, e.toString());
      return Optional.empty();
    }
  }
}
