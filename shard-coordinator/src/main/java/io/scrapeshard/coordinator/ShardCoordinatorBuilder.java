package io.scrapeshard.coordinator;

import io.scrapeshard.hashing.Member;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options of a {@link ShardCoordinator}. Every option is validated by {@link #build()}, which names
 * the option and the value it rejects.
 *
 * <pre>{@code
 * ShardCoordinator c = ShardCoordinator.builder()
 *     .connectString("zk-0.zk:2181,zk-1.zk:2181,zk-2.zk:2181")
 *     .cluster("prod")
 *     .memberId(System.getenv("POD_NAME"))
 *     .address("10.0.0.7:8080")
 *     .build();
 * }</pre>
 */
public final class ShardCoordinatorBuilder {

  private String connectString;
  private String root = "/scrape-shard";
  private String cluster = "default";
  private String memberId;
  private String address = "";
  private double weight = 1.0;
  private Duration sessionTimeout = Duration.ofSeconds(10);
  private Duration handoffDelay = Duration.ofSeconds(5);
  private Duration debounce = Duration.ofMillis(250);
  private Duration debounceMaxWait = Duration.ofSeconds(2);
  private Duration absenceGrace = Duration.ofSeconds(1);
  private Duration removalNotice = Duration.ofMillis(250);
  private Duration epochRetention = Duration.ofSeconds(60);
  private Duration peerPollInterval = Duration.ofSeconds(1);
  private Clock clock = Clock.systemUTC();
  private PeerEpochs peerEpochs = PeerEpochs.NONE;
  private Consumer<String> onSuperseded = ShardCoordinator.ignore();

  ShardCoordinatorBuilder() {}

  /** ZooKeeper servers, {@code host:port[,host:port...]}. Required. */
  public ShardCoordinatorBuilder connectString(String value) {
    this.connectString = value;
    return this;
  }

  /** The root of all clusters; default {@code /scrape-shard}. */
  public ShardCoordinatorBuilder root(String value) {
    this.root = value;
    return this;
  }

  /** The cluster name under the root; default {@code default}. */
  public ShardCoordinatorBuilder cluster(String value) {
    this.cluster = value;
    return this;
  }

  /** This worker's member id (the StatefulSet pod name). Required. */
  public ShardCoordinatorBuilder memberId(String value) {
    this.memberId = value;
    return this;
  }

  /** Where peers reach this worker's API, {@code host:port}; default empty. */
  public ShardCoordinatorBuilder address(String value) {
    this.address = value;
    return this;
  }

  /** This member's weight; default 1. */
  public ShardCoordinatorBuilder weight(double value) {
    this.weight = value;
    return this;
  }

  /** ZooKeeper session timeout; default 10 s. */
  public ShardCoordinatorBuilder sessionTimeout(Duration value) {
    this.sessionTimeout = value;
    return this;
  }

  /** Notice given before a change takes effect; default 5 s (it costs no data). */
  public ShardCoordinatorBuilder handoffDelay(Duration value) {
    this.handoffDelay = value;
    return this;
  }

  /** The leader waits this long for member changes to settle; default 250 ms. */
  public ShardCoordinatorBuilder debounce(Duration value) {
    this.debounce = value;
    return this;
  }

  /** ... but never longer than this after the first change; default 2 s. */
  public ShardCoordinatorBuilder debounceMaxWait(Duration value) {
    this.debounceMaxWait = value;
    return this;
  }

  /** A member counts as gone after this long without its node; default 1 s. */
  public ShardCoordinatorBuilder absenceGrace(Duration value) {
    this.absenceGrace = value;
    return this;
  }

  /**
   * How long after it is published the removal of a gone member takes effect; default 250 ms. It
   * lets every survivor, and a member cut off from ZooKeeper that asks its peers, learn the removal
   * before it applies, so no slot falls between two lists; the gone member's targets wait that much
   * longer.
   */
  public ShardCoordinatorBuilder removalNotice(Duration value) {
    this.removalNotice = value;
    return this;
  }

  /**
   * How long an epoch is kept after its successor took over, for late slots; must exceed half the
   * longest scrape interval; default 60 s.
   */
  public ShardCoordinatorBuilder epochRetention(Duration value) {
    this.epochRetention = value;
    return this;
  }

  /** How often a worker cut off from ZooKeeper asks its peers; default 1 s. */
  public ShardCoordinatorBuilder peerPollInterval(Duration value) {
    this.peerPollInterval = value;
    return this;
  }

  /** The clock of epochs and slots; default the system clock (UTC). */
  public ShardCoordinatorBuilder clock(Clock value) {
    this.clock = value;
    return this;
  }

  /** How to read peers' epoch lists when cut off; default {@link PeerEpochs#NONE}. */
  public ShardCoordinatorBuilder peerEpochs(PeerEpochs value) {
    this.peerEpochs = value;
    return this;
  }

  /**
   * Called (on the event thread) when a newer process took this member id: this one has stopped
   * scraping and should exit.
   */
  public ShardCoordinatorBuilder onSuperseded(Consumer<String> value) {
    this.onSuperseded = value;
    return this;
  }

  /**
   * Validates the options and creates the coordinator (it does not connect yet).
   *
   * @throws IllegalArgumentException naming the first bad option and its value
   */
  public ShardCoordinator build() {
    if (connectString == null || connectString.isBlank()) {
      throw new IllegalArgumentException("connectString is required, got '" + connectString + "'");
    }
    if (root == null || !root.startsWith("/") || root.endsWith("/") || root.contains("//")) {
      throw new IllegalArgumentException(
          "root must be an absolute ZooKeeper path without a trailing '/', got '" + root + "'");
    }
    if (cluster == null || cluster.isBlank() || cluster.contains("/")) {
      throw new IllegalArgumentException(
          "cluster must be non-blank without '/', got '" + cluster + "'");
    }
    if (memberId == null) {
      throw new IllegalArgumentException("memberId is required");
    }
    try {
      new Member(memberId, weight);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          (e.getMessage().startsWith("member weight") ? "weight: " : "memberId: ") + e.getMessage(),
          e);
    }
    Objects.requireNonNull(address, "address");
    requireWithin("sessionTimeout", sessionTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
    requireWithin("handoffDelay", handoffDelay, Duration.ZERO, Duration.ofMinutes(10));
    requireWithin("debounce", debounce, Duration.ZERO, Duration.ofMinutes(1));
    requireWithin("debounceMaxWait", debounceMaxWait, debounce, Duration.ofMinutes(5));
    requireWithin("absenceGrace", absenceGrace, Duration.ZERO, Duration.ofMinutes(5));
    requireWithin("removalNotice", removalNotice, Duration.ZERO, handoffDelay);
    requireWithin("epochRetention", epochRetention, Duration.ofSeconds(1), Duration.ofDays(1));
    requireWithin(
        "peerPollInterval", peerPollInterval, Duration.ofMillis(10), Duration.ofMinutes(5));
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(peerEpochs, "peerEpochs");
    Objects.requireNonNull(onSuperseded, "onSuperseded");
    return new ShardCoordinator(this);
  }

  private static void requireWithin(String name, Duration value, Duration min, Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  String connectString() {
    return connectString;
  }

  String rootPath() {
    return root + "/" + cluster;
  }

  String memberId() {
    return memberId;
  }

  String address() {
    return address;
  }

  double weight() {
    return weight;
  }

  Duration sessionTimeout() {
    return sessionTimeout;
  }

  Duration handoffDelay() {
    return handoffDelay;
  }

  Duration debounce() {
    return debounce;
  }

  Duration debounceMaxWait() {
    return debounceMaxWait;
  }

  Duration absenceGrace() {
    return absenceGrace;
  }

  Duration removalNotice() {
    return removalNotice;
  }

  Duration epochRetention() {
    return epochRetention;
  }

  Duration peerPollInterval() {
    return peerPollInterval;
  }

  Clock clock() {
    return clock;
  }

  PeerEpochs peerEpochs() {
    return peerEpochs;
  }

  Consumer<String> onSuperseded() {
    return onSuperseded;
  }
}
