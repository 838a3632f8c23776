package io.scrapeshard.coordinator;

/** This worker's link to ZooKeeper, as DESIGN.md rule 10 treats it. */
public enum ConnectionStatus {
  /** Started, not yet connected. */
  CONNECTING,
  /** Connected: the normal state. */
  CONNECTED,
  /** Connection lost, session possibly alive: keeps scraping by the epoch list. */
  SUSPENDED,
  /** Session presumed expired: keeps scraping unless a peer shows this member was evicted. */
  LOST,
  /** Closed. */
  CLOSED
}
