package io.scrapeshard.coordinator;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of the protocol (DESIGN.md rules 1-5): a {@link LeaderLatch} among the workers;
 * on gaining leadership a sync and a fresh read; then, on member changes (debounced) and at the
 * times the {@link EpochPlanner} asks for, a plan and a fenced publish.
 *
 * <p>All state lives on the coordinator's event thread; Curator callbacks only enqueue.
 */
final class LeaderLoop implements LeaderLatchListener {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderLoop.class);

  private final CuratorFramework client;
  private final Paths paths;
  private final String self;
  private final LocalView view; // its list rebuilds a corrupt epochs node
  private final Clock clock;
  private final ScheduledExecutorService events;
  private final EpochPlanner planner;
  private final Supplier<Map<String, MemberObservation>> members; // null until the cache is ready
  private final long debounceMillis;
  private final long maxWaitMillis;
  private final LeaderLatch latch;
  final AtomicLong published = new AtomicLong();
  final AtomicLong rejections = new AtomicLong();

  private volatile boolean leading;
  private volatile String latchPath; // our latch node when this term began: the fence
  private EpochList current = EpochList.empty();
  private volatile int version = -1; // of the epochs node; -1: absent
  private boolean stale = true; // current must be re-read before planning
  private final Map<String, Long> absentSince = new HashMap<>();
  private long firstRequestAt = -1;
  private ScheduledFuture<?> debounced;
  private ScheduledFuture<?> timer;

  LeaderLoop(
      CuratorFramework client,
      Paths paths,
      LocalView view,
      Clock clock,
      ScheduledExecutorService events,
      EpochPlanner planner,
      Supplier<Map<String, MemberObservation>> members,
      long debounceMillis,
      long maxWaitMillis) {
    this.client = client;
    this.paths = paths;
    this.self = view.self();
    this.view = view;
    this.clock = clock;
    this.events = events;
    this.planner = planner;
    this.members = members;
    this.debounceMillis = debounceMillis;
    this.maxWaitMillis = maxWaitMillis;
    this.latch = new LeaderLatch(client, paths.leader(), self);
    latch.addListener(this, events);
  }

  void start() {
    try {
      latch.start();
    } catch (Exception e) {
      throw new CoordinatorException("cannot start the leader latch at " + paths.leader(), e);
    }
  }

  boolean leading() {
    return leading;
  }

  @Override
  public void isLeader() {
    latchPath = latch.getOurPath();
    leading = true;
    stale = true;
    absentSince.clear();
    LOG.info("member {} leads {} (latch node {})", self, paths.root(), latchPath);
    reconcile();
  }

  @Override
  public void notLeader() {
    leading = false;
    cancel();
    LOG.info("member {} no longer leads {}", self, paths.root());
  }

  /** A member node changed: plan again after the debounce, but no later than the maximum wait. */
  void memberChanged() {
    if (!leading) {
      return;
    }
    long now = clock.millis();
    if (firstRequestAt < 0) {
      firstRequestAt = now;
    }
    long at = Math.min(now + debounceMillis, firstRequestAt + maxWaitMillis);
    if (debounced != null) {
      debounced.cancel(false);
    }
    debounced = events.schedule(this::reconcile, Math.max(0, at - now), TimeUnit.MILLISECONDS);
  }

  private void reconcile() {
    firstRequestAt = -1;
    Map<String, MemberObservation> present = members.get();
    if (!leading || present == null) {
      return;
    }
    if (!client.getZookeeperClient().isConnected()) {
      stale = true;
      scheduleAt(clock.millis() + 500);
      return;
    }
    try {
      if (stale) {
        readEpochs();
      }
      long now = clock.millis();
      trackAbsence(present, now);
      EpochPlanner.Plan plan = planner.plan(current, present, absentSince, now);
      if (plan.publish().isPresent()) {
        publish(plan.publish().get(), plan.reason());
      }
      scheduleAt(plan.recheckAtMillis());
    } catch (KeeperException e) {
      rejections.incrementAndGet();
      LOG.warn(
          "member {}: epochs write refused ({}); re-reading before planning again", self, e.code());
      stale = true;
      scheduleAt(clock.millis() + 500);
    } catch (Exception e) {
      LOG.warn("member {}: leader step failed ({}); retrying in 1 s", self, e.toString());
      stale = true;
      scheduleAt(clock.millis() + 1_000);
    }
  }

  private void readEpochs() throws Exception {
    Zk.sync(client, paths.root(), 5_000);
    Stat stat = new Stat();
    try {
      byte[] data = client.getData().storingStatIn(stat).forPath(paths.epochs());
      version = stat.getVersion();
      try {
        current = Json.epochs(data);
      } catch (CoordinatorException e) {
        LOG.error(
            "epochs node {} is unreadable ({}); the leader rewrites it from its own list",
            paths.epochs(),
            e.getMessage());
        current = view.epochs();
      }
    } catch (KeeperException.NoNodeException e) {
      version = -1;
      current = EpochList.empty();
    }
    stale = false;
  }

  private void trackAbsence(Map<String, MemberObservation> present, long now) {
    Set<String> live = new HashSet<>();
    current.activeAt(now).ifPresent(e -> e.members().forEach(m -> live.add(m.id())));
    current.pendingAt(now).forEach(e -> e.members().forEach(m -> live.add(m.id())));
    absentSince.keySet().removeIf(id -> present.containsKey(id) || !live.contains(id));
    for (String id : live) {
      if (!present.containsKey(id) && absentSince.putIfAbsent(id, now) == null) {
        LOG.info(
            "member {} absent from {}; counted gone if still absent in a moment",
            id,
            paths.members());
      }
    }
  }

  private void publish(EpochList next, String reason) throws Exception {
    int newVersion = publishFenced(next, latchPath, version);
    current = next;
    version = newVersion;
    published.incrementAndGet();
    Epoch newest = next.newest().orElseThrow();
    LOG.info(
        "leader {} published epoch {} ({} members) activating at {} ({} ms from now): {}",
        self,
        newest.number(),
        newest.members().size(),
        java.time.Instant.ofEpochMilli(newest.activateAtMillis()),
        newest.activateAtMillis() - clock.millis(),
        reason);
  }

  /**
   * Writes {@code next} in one multi-op that also checks {@code fence} (the latch node this term
   * began with) and the epochs node's {@code expectedVersion}: a deposed leader, even one whose
   * client reconnected on a new session, has lost its node and cannot write.
   *
   * @return the new version of the epochs node
   * @throws KeeperException if the fence or the version does not hold
   */
  int publishFenced(EpochList next, String fence, int expectedVersion) throws Exception {
    byte[] data = Json.epochs(next);
    CuratorOp check = client.transactionOp().check().forPath(fence);
    CuratorOp write =
        expectedVersion < 0
            ? client.transactionOp().create().forPath(paths.epochs(), data)
            : client
                .transactionOp()
                .setData()
                .withVersion(expectedVersion)
                .forPath(paths.epochs(), data);
    List<CuratorTransactionResult> results = client.transaction().forOperations(check, write);
    return expectedVersion < 0 ? 0 : results.get(1).getResultStat().getVersion();
  }

  String latchPath() {
    return latchPath;
  }

  int version() {
    return version;
  }

  private void scheduleAt(long at) {
    if (at == Long.MAX_VALUE) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timer =
        events.schedule(this::reconcile, Math.max(0, at - clock.millis()), TimeUnit.MILLISECONDS);
  }

  private void cancel() {
    if (debounced != null) {
      debounced.cancel(false);
    }
    if (timer != null) {
      timer.cancel(false);
    }
    firstRequestAt = -1;
  }

  void close() {
    leading = false;
    try {
      latch.close();
    } catch (IOException | IllegalStateException e) {
      LOG.debug("leader latch of {} already closed: {}", self, e.toString());
    }
  }
}
