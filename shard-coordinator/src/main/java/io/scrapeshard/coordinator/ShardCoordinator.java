package io.scrapeshard.coordinator;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's membership in a scrape-shard cluster: its member node, its share of the leader
 * election, and its {@link ShardView}.
 *
 * <p>Lifecycle: {@link #start()} once (connects, learns the epochs, may lead); {@link #join()} when
 * the worker is ready to scrape (discovery synced); {@link #leave(Duration)} to hand off; {@link
 * #close()} (idempotent) to go. Every ZooKeeper event is handled on one event thread, in order.
 *
 * <p>Connection loss: while SUSPENDED or LOST the view keeps answering from the last epoch list;
 * the coordinator asks its peers through {@link PeerEpochs} and stops scraping only if a peer
 * serves an active epoch without this member. After a new session it re-reads the epochs before any
 * slot fires and registers again.
 *
 * <pre>{@code
 * try (ShardCoordinator c = ShardCoordinator.builder().connectString("zk:2181").memberId("scrape-shard-0")
 *     .address("10.0.0.7:8080").build()) {
 *   c.start();
 *   c.join();
 *   ... c.view().ownsSlot(key, slot) ...
 *   c.leave(Duration.ofSeconds(20)).join();
 * }
 * }</pre>
 */
public final class ShardCoordinator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShardCoordinator.class);

  private final ShardCoordinatorBuilder options;
  private final Paths paths;
  private final Clock clock;
  private final CuratorFramework client;
  private final ScheduledExecutorService events;
  private final ScheduledExecutorService peers;
  private final LocalView view;
  private final CuratorCache cache;
  private final LeaderLoop leader;
  private final Registration registration;
  private final Map<ConnectionStatus, AtomicLong> transitions =
      new EnumMap<>(ConnectionStatus.class);
  private final MemberDirectory directory;
  private final PeerCatchUp catchUp;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ConnectionStatus status = ConnectionStatus.CONNECTING;
  private volatile boolean joined;
  private boolean reloadAfterNewSession;

  ShardCoordinator(ShardCoordinatorBuilder b) {
    this.options = b;
    this.paths = new Paths(b.rootPath());
    this.clock = b.clock();
    this.events =
        Executors.newSingleThreadScheduledExecutor(daemon("scrape-shard-coord-" + b.memberId()));
    this.peers =
        Executors.newSingleThreadScheduledExecutor(daemon("scrape-shard-peers-" + b.memberId()));
    this.client =
        CuratorFrameworkFactory.builder()
            .connectString(b.connectString())
            .sessionTimeoutMs((int) b.sessionTimeout().toMillis())
            .connectionTimeoutMs((int) Math.min(b.sessionTimeout().toMillis(), 5_000))
            .retryPolicy(new BoundedExponentialBackoffRetry(100, 1_000, 3))
            .threadFactory(daemon("scrape-shard-zk-" + b.memberId()))
            .build();
    MemberRecord record =
        new MemberRecord(
            b.memberId(),
            UUID.randomUUID().toString(),
            b.address(),
            b.weight(),
            MemberRecord.State.ACTIVE,
            clock.millis());
    this.view =
        new LocalView(b.memberId(), record.incarnation(), clock, b.epochRetention().toMillis());
    this.cache = CuratorCache.build(client, paths.root());
    this.directory = new MemberDirectory(cache, paths);
    this.catchUp = new PeerCatchUp(view, directory, b.peerEpochs(), events);
    this.registration = new Registration(client, paths, record, events, this::superseded);
    EpochPlanner planner =
        new EpochPlanner(
            b.handoffDelay().toMillis(),
            b.absenceGrace().toMillis(),
            Math.max(b.epochRetention().toMillis(), 2 * b.handoffDelay().toMillis()),
            b.removalNotice().toMillis());
    this.leader =
        new LeaderLoop(
            client,
            paths,
            view,
            clock,
            events,
            planner,
            directory::observations,
            b.debounce().toMillis(),
            b.debounceMaxWait().toMillis());
    for (ConnectionStatus s : ConnectionStatus.values()) {
      transitions.put(s, new AtomicLong());
    }
  }

  /** A builder with the documented defaults. */
  public static ShardCoordinatorBuilder builder() {
    return new ShardCoordinatorBuilder();
  }

  /**
   * Connects and starts watching; returns without waiting for the connection.
   *
   * @throws IllegalStateException if called twice
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("coordinator " + options.memberId() + " already started");
    }
    client.getConnectionStateListenable().addListener((c, s) -> onConnectionState(s), events);
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forAll((type, before, after) -> events.execute(() -> onNode(before, after)))
                .forInitialized(() -> events.execute(this::onCacheReady))
                .build());
    client.start();
    events.execute(this::createLayout);
    cache.start();
    leader.start();
    events.scheduleWithFixedDelay(view::expire, 1, 1, TimeUnit.SECONDS);
    peers.scheduleWithFixedDelay(
        this::askPeers,
        options.peerPollInterval().toMillis(),
        options.peerPollInterval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Registers this member: call once the worker is ready to scrape (rule 8). */
  public void join() {
    requireStarted();
    joined = true;
    events.execute(registration::join);
  }

  /**
   * Hands off (rule 9): marks this member leaving and completes once an epoch without it is in
   * force, so every slot it owned before has fired; the caller then finishes in-flight scrapes,
   * flushes and closes. Completes exceptionally with a {@link TimeoutException} after {@code
   * deadline}.
   */
  public CompletableFuture<Void> leave(Duration deadline) {
    requireStarted();
    CompletableFuture<Void> done = new CompletableFuture<>();
    events.execute(
        () -> {
          try {
            registration.markLeaving();
            LOG.info("member {} leaving: waiting for an epoch without it", options.memberId());
          } catch (Exception e) {
            LOG.warn(
                "member {} could not mark itself leaving ({}); waiting anyway",
                options.memberId(),
                e.toString());
          }
        });
    var check =
        events.scheduleWithFixedDelay(
            () -> {
              if (handedOff()) {
                done.complete(null);
              }
            },
            0,
            50,
            TimeUnit.MILLISECONDS);
    events.schedule(
        () ->
            done.completeExceptionally(
                new TimeoutException(
                    "member "
                        + options.memberId()
                        + " still owns targets after "
                        + deadline.toMillis()
                        + " ms of leaving")),
        deadline.toMillis(),
        TimeUnit.MILLISECONDS);
    done.whenComplete((v, e) -> check.cancel(false));
    return done;
  }

  private boolean handedOff() {
    long now = clock.millis();
    EpochList list = view.epochs();
    boolean inForce = list.activeAt(now).map(e -> e.contains(options.memberId())).orElse(false);
    return !inForce && list.pendingAt(now).stream().noneMatch(e -> e.contains(options.memberId()));
  }

  /** What this worker knows of the epochs; usable before and after ZooKeeper is reachable. */
  public ShardView view() {
    return view;
  }

  /**
   * Readiness (rule 11): joined, own node present, an epoch with this member in force, connected,
   * and not stopped. Paces a rolling update to one handoff at a time.
   */
  public boolean ready() {
    return joined
        && registration.registered()
        && status == ConnectionStatus.CONNECTED
        && view.stoppedBecause().isEmpty()
        && view.activeEpoch(clock.instant())
            .map(e -> e.admits(options.memberId(), view.incarnation()))
            .orElse(false);
  }

  /** The ZooKeeper link now. */
  public ConnectionStatus connectionStatus() {
    return status;
  }

  /** Whether this worker leads the cluster now. */
  public boolean leader() {
    return leader.leading();
  }

  /** The member nodes this worker sees: id to record (unreadable nodes left out). */
  public Map<String, MemberRecord> members() {
    return directory.records();
  }

  /** A snapshot for self-metrics. */
  public CoordinatorStats stats() {
    Map<ConnectionStatus, Long> counts = new EnumMap<>(ConnectionStatus.class);
    transitions.forEach((s, n) -> counts.put(s, n.get()));
    Optional<Epoch> active = view.activeEpoch(clock.instant());
    return new CoordinatorStats(
        status,
        counts,
        leader.leading(),
        active.map(Epoch::number).orElse(0L),
        active.map(e -> e.members().size()).orElse(0),
        leader.published.get(),
        leader.rejections.get(),
        directory.unreadable.get(),
        view.skewMillis(),
        view.noticeMillis(),
        view.stoppedBecause().orElse(null),
        ready());
  }

  LeaderLoop leaderLoop() {
    return leader;
  }

  CuratorFramework client() {
    return client;
  }

  private void createLayout() {
    try {
      client.createContainers(paths.members());
    } catch (Exception e) {
      LOG.warn(
          "cannot create {} yet ({}); the member node will create it",
          paths.members(),
          e.toString());
    }
  }

  private void onCacheReady() {
    directory.loaded();
    leader.memberChanged();
  }

  private void onNode(ChildData before, ChildData after) {
    ChildData node = after != null ? after : before;
    String path = node.getPath();
    if (path.equals(paths.epochs()) && after != null) {
      learn(after);
      return;
    }
    String id = paths.memberIdOf(path);
    if (id == null) {
      return;
    }
    MemberRecord record = after == null ? null : directory.changed(after).orElse(null);
    if (id.equals(options.memberId())) {
      registration.observed(record);
      if (after == null) {
        registration.ensure();
      }
    }
    if (directory.isLoaded()) {
      leader.memberChanged();
    }
  }

  private void learn(ChildData data) {
    try {
      view.learn(Json.epochs(data.getData()), data.getStat().getMtime());
    } catch (CoordinatorException e) {
      directory.unreadable.incrementAndGet();
      LOG.error(
          "epochs node {} is unreadable ({}); keeping the last list",
          data.getPath(),
          e.getMessage());
    }
  }

  private void onConnectionState(ConnectionState state) {
    ConnectionStatus next =
        switch (state) {
          case CONNECTED, RECONNECTED -> ConnectionStatus.CONNECTED;
          case SUSPENDED -> ConnectionStatus.SUSPENDED;
          case LOST -> ConnectionStatus.LOST;
          case READ_ONLY -> ConnectionStatus.SUSPENDED;
        };
    if (next == ConnectionStatus.LOST) {
      reloadAfterNewSession = true;
    }
    if (next != status) {
      LOG.info("member {}: ZooKeeper {} -> {}", options.memberId(), status, next);
      status = next;
      transitions.get(next).incrementAndGet();
    }
    if (state == ConnectionState.RECONNECTED) {
      reload();
    }
  }

  /** After a reconnect: re-read the epochs before any slot fires, then register again if needed. */
  private void reload() {
    boolean newSession = reloadAfterNewSession;
    if (newSession) {
      view.reloadStarted();
    }
    try {
      Zk.sync(client, paths.root(), 5_000);
      org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
      byte[] data = client.getData().storingStatIn(stat).forPath(paths.epochs());
      view.learn(Json.epochs(data), stat.getMtime());
      reloadAfterNewSession = false;
      view.reloaded();
      registration.ensure();
    } catch (KeeperException.NoNodeException e) {
      reloadAfterNewSession = false;
      view.reloaded();
      registration.ensure();
    } catch (Exception e) {
      LOG.warn(
          "member {}: reload after reconnect failed ({}); retrying",
          options.memberId(),
          e.toString());
      events.schedule(this::reload, 500, TimeUnit.MILLISECONDS);
    }
  }

  private void askPeers() {
    if (status != ConnectionStatus.CONNECTED
        && status != ConnectionStatus.CONNECTING
        && !closed.get()) {
      catchUp.askOnce();
    }
  }

  private void superseded(String reason) {
    view.stop(reason);
    LOG.error("member {}: {}; this process must exit", options.memberId(), reason);
    options.onSuperseded().accept(reason);
  }

  private void requireStarted() {
    if (!started.get()) {
      throw new IllegalStateException("coordinator " + options.memberId() + " is not started");
    }
  }

  /** Leaves the election, deletes the member node and closes the session. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    peers.shutdownNow();
    if (started.get()) {
      runOnEvents(
          () -> {
            // closing the session deletes the node too; deleting first makes it gone at once
            if (status == ConnectionStatus.CONNECTED) {
              registration.withdraw();
            }
            leader.close();
          });
      cache.close();
      client.close();
    }
    events.shutdownNow();
    status = ConnectionStatus.CLOSED;
    LOG.info("member {} closed", options.memberId());
  }

  private void runOnEvents(Runnable r) {
    try {
      events.submit(r).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn(
          "member {}: close step failed: {}; event thread at {}",
          options.memberId(),
          e.toString(),
          eventThreadStack());
    }
  }

  private String eventThreadStack() {
    String name = "scrape-shard-coord-" + options.memberId();
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().equals(name))
        .map(
            e ->
                java.util.Arrays.toString(
                    java.util.Arrays.copyOf(e.getValue(), Math.min(8, e.getValue().length))))
        .findFirst()
        .orElse("?");
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  static Consumer<String> ignore() {
    return reason -> {};
  }
}
