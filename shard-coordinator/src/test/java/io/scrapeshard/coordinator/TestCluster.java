package io.scrapeshard.coordinator;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * Coordinators of one test cluster. With a single ZooKeeper server every member connects through
 * its own {@link TcpProxy}, so a test can cut one member off; peers read each other's epoch lists
 * in-process unless a member is marked unreachable.
 */
final class TestCluster implements AutoCloseable {

  static final Duration SESSION = Duration.ofSeconds(4);
  static final Duration HANDOFF = Duration.ofSeconds(2);

  private final String connectString;
  private final IntSupplier serverPort; // > 0: one server, proxied per member
  private final Map<String, ShardCoordinator> live = new ConcurrentHashMap<>();
  private final Map<String, TcpProxy> proxies = new ConcurrentHashMap<>();
  private final List<AutoCloseable> everything = new CopyOnWriteArrayList<>();
  private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
  final List<EpochList> published = new CopyOnWriteArrayList<>();

  /** When a coordinator ran, for the auditor: from its start until it left or crashed. */
  private record Span(ShardCoordinator coordinator, long from, long until) {}

  private final List<Span> spans = new CopyOnWriteArrayList<>();

  private void ended(String id) {
    long now = System.currentTimeMillis();
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      if (s.until == Long.MAX_VALUE && s.coordinator.view().self().equals(id)) {
        spans.set(i, new Span(s.coordinator, s.from, now));
      }
    }
  }

  /** The coordinators that were running at {@code millis}. */
  Collection<ShardCoordinator> liveAt(long millis) {
    List<ShardCoordinator> out = new ArrayList<>();
    for (Span s : spans) {
      if (s.from <= millis && millis < s.until) {
        out.add(s.coordinator);
      }
    }
    return out;
  }

  private Duration handoff = HANDOFF;

  private TestCluster(String connectString, IntSupplier serverPort) {
    this.connectString = connectString;
    this.serverPort = serverPort;
  }

  /** Members started from now on give this much notice. */
  TestCluster handoff(Duration value) {
    this.handoff = value;
    return this;
  }

  /**
   * One real ZooKeeper server with a 200 ms tick, so that sessions expire close to their timeout
   * (expiry is checked once per tick; the default 3 s tick would blur the failover figures).
   */
  static TestingServer zooKeeper() throws Exception {
    return new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
  }

  /** Members connect to {@code port} through a proxy each. */
  static TestCluster proxied(int port) {
    return new TestCluster(null, () -> port);
  }

  /** Members connect to {@code connectString} directly. */
  static TestCluster direct(String connectString) {
    return new TestCluster(connectString, () -> -1);
  }

  ShardCoordinator start(String id) {
    ShardCoordinator c = builder(id).build();
    c.view().addListener(published::add);
    c.start();
    c.join();
    live.put(id, c);
    spans.add(new Span(c, System.currentTimeMillis(), Long.MAX_VALUE));
    everything.add(c);
    return c;
  }

  ShardCoordinatorBuilder builder(String id) {
    return builder(id, id);
  }

  /** A builder whose proxy is known as {@code proxyKey} (a second process under one id). */
  ShardCoordinatorBuilder builder(String id, String proxyKey) {
    String target = connectString;
    if (serverPort.getAsInt() > 0) {
      try {
        TcpProxy proxy = new TcpProxy(serverPort.getAsInt());
        proxies.put(proxyKey, proxy);
        everything.add(proxy);
        target = proxy.connectString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ShardCoordinator.builder()
        .connectString(target)
        .cluster("it")
        .memberId(id)
        .address("in-process/" + id)
        .sessionTimeout(SESSION)
        .handoffDelay(handoff)
        .debounce(Duration.ofMillis(100))
        .debounceMaxWait(Duration.ofMillis(500))
        .peerPollInterval(Duration.ofMillis(200))
        .peerEpochs(this::fetch);
  }

  private Optional<EpochList> fetch(String id, String address) {
    ShardCoordinator peer = live.get(id);
    return peer == null || unreachable.contains(id)
        ? Optional.empty()
        : Optional.of(peer.view().epochs());
  }

  /**
   * The process dies: it stops answering peers and scraping, and its session lingers until it
   * expires.
   */
  void crash(String id) {
    unreachable.add(id);
    proxies.get(id).cut();
    live.remove(id);
    ended(id);
  }

  /** Cut off from ZooKeeper, still running and answering peers. */
  void cutOff(String id) {
    proxies.get(id).cut();
  }

  void reconnect(String id) {
    proxies.get(id).restore();
  }

  /** Hands off and stops cleanly. */
  void leave(String id) {
    ShardCoordinator c = live.get(id);
    c.leave(Duration.ofSeconds(20)).join();
    live.remove(id);
    ended(id);
    c.close();
  }

  ShardCoordinator get(String id) {
    return live.get(id);
  }

  Collection<ShardCoordinator> live() {
    return List.copyOf(live.values());
  }

  /** Adds a coordinator to the audited set without starting another one. */
  void track(String id, ShardCoordinator c) {
    live.put(id, c);
    spans.add(new Span(c, System.currentTimeMillis(), Long.MAX_VALUE));
    everything.add(c);
  }

  /**
   * Waits until every live member knows one list whose epoch in force holds exactly the live
   * members.
   */
  void awaitAgreement(Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              List<ShardCoordinator> members = new ArrayList<>(live.values());
              Set<String> ids = live.keySet();
              Optional<Epoch> first = newestActive(members.get(0));
              return first.isPresent()
                  && first.get().members().stream()
                      .map(m -> m.id())
                      .collect(java.util.stream.Collectors.toSet())
                      .equals(ids)
                  && members.stream()
                      .allMatch(
                          c ->
                              newestActive(c).equals(first)
                                  && c.view()
                                      .epochs()
                                      .pendingAt(System.currentTimeMillis())
                                      .isEmpty());
            });
  }

  private static Optional<Epoch> newestActive(ShardCoordinator c) {
    return c.view().epochs().activeAt(System.currentTimeMillis());
  }

  Optional<ShardCoordinator> leader() {
    return live.values().stream().filter(ShardCoordinator::leader).findFirst();
  }

  @Override
  public void close() {
    List<AutoCloseable> order = new ArrayList<>(everything);
    order.sort(java.util.Comparator.comparing(c -> c instanceof TcpProxy)); // coordinators first
    for (AutoCloseable c : order) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
