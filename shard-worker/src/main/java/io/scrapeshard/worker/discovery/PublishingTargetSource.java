package io.scrapeshard.worker.discovery;

import java.util.Map;
import java.util.function.Consumer;

/** The half of a {@link TargetSource} that every source shares: its {@link SnapshotPublisher}. */
abstract class PublishingTargetSource implements TargetSource {

  final SnapshotPublisher publisher;

  PublishingTargetSource(String name) {
    this.publisher = new SnapshotPublisher(name);
  }

  @Override
  public Snapshot snapshot() {
    return publisher.snapshot();
  }

  @Override
  public void addListener(Consumer<Snapshot> listener) {
    publisher.addListener(listener);
  }

  @Override
  public Map<InvalidTargetReason, Long> invalidCounts() {
    return publisher.invalidCounts();
  }
}
