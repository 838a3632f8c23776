package io.scrapeshard.coordinator;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's ephemeral member node (DESIGN.md rules 8 and 9). The node is created only once the
 * worker joins, recreated after a session loss, and never adopted from another incarnation: a node
 * of an older incarnation (a previous pod whose session has not expired yet) is waited out; a node
 * of a newer one means this process has been replaced and must stop.
 *
 * <p>Runs on the coordinator's event thread.
 */
final class Registration {

  private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

  private final CuratorFramework client;
  private final Paths paths;
  private final ScheduledExecutorService events;
  private final Consumer<String> superseded;
  private MemberRecord record;
  private boolean wanted;
  private volatile long session = -1; // the session that created our node, -1 when none
  private String waitingFor; // the incarnation we wait to disappear, for logging once

  Registration(
      CuratorFramework client,
      Paths paths,
      MemberRecord record,
      ScheduledExecutorService events,
      Consumer<String> superseded) {
    this.client = client;
    this.paths = paths;
    this.record = record;
    this.events = events;
    this.superseded = superseded;
  }

  MemberRecord record() {
    return record;
  }

  /** Whether our node exists in the current session. */
  boolean registered() {
    return session >= 0 && session == currentSession();
  }

  void join() {
    wanted = true;
    ensure();
  }

  /** Rewrites the node as leaving; a recreated node is leaving too. */
  void markLeaving() throws Exception {
    record = record.leaving();
    if (registered()) {
      client.setData().forPath(paths.member(record.id()), Json.member(record));
    }
  }

  void withdraw() {
    wanted = false;
    if (registered()) {
      try {
        client.delete().forPath(paths.member(record.id()));
      } catch (Exception e) {
        LOG.debug("member node {} not deleted: {}", paths.member(record.id()), e.toString());
      }
    }
    session = -1;
  }

  /** Our node changed or vanished, or the session changed: make sure it is ours and present. */
  void ensure() {
    if (!wanted || registered()) {
      return;
    }
    if (!client.getZookeeperClient().isConnected()) {
      return; // the reconnect calls ensure() again; blocking here would stall the event thread
    }
    String path = paths.member(record.id());
    try {
      client
          .create()
          .creatingParentsIfNeeded()
          .withMode(CreateMode.EPHEMERAL)
          .forPath(path, Json.member(record));
      session = currentSession();
      waitingFor = null;
      LOG.info(
          "member {} registered at {} (incarnation {}, session 0x{})",
          record.id(),
          path,
          record.incarnation(),
          Long.toHexString(session));
    } catch (KeeperException.NodeExistsException e) {
      inspectExisting(path);
    } catch (Exception e) {
      LOG.warn(
          "member {} cannot register at {} ({}); retrying in 1 s", record.id(), path, e.toString());
      events.schedule(this::ensure, 1, TimeUnit.SECONDS);
    }
  }

  private void inspectExisting(String path) {
    Stat stat = new Stat();
    byte[] data;
    try {
      data = client.getData().storingStatIn(stat).forPath(path);
    } catch (KeeperException.NoNodeException gone) {
      events.execute(this::ensure);
      return;
    } catch (Exception e) {
      events.schedule(this::ensure, 1, TimeUnit.SECONDS);
      return;
    }
    if (stat.getEphemeralOwner() == currentSession()) {
      session = currentSession(); // our own create, retried after a connection loss
      return;
    }
    MemberRecord other = null;
    try {
      other = Json.member(data);
    } catch (CoordinatorException e) {
      LOG.warn("member node {} is unreadable ({}); waiting for it to go", path, e.getMessage());
    }
    if (other != null
        && !other.incarnation().equals(record.incarnation())
        && other.startedAtMillis() > record.startedAtMillis()) {
      superseded.accept(
          "member id "
              + record.id()
              + " taken by a newer incarnation "
              + other.incarnation()
              + " started at "
              + other.startedAtMillis());
      wanted = false;
      return;
    }
    String holder = other == null ? "?" : other.incarnation();
    if (!holder.equals(waitingFor)) {
      LOG.info(
          "member node {} is held by session 0x{} (incarnation {}); waiting for it to expire",
          path,
          Long.toHexString(stat.getEphemeralOwner()),
          holder);
      waitingFor = holder;
    }
    // the cache reports the deletion, which calls ensure() again; poll too, in case a watch is lost
    events.schedule(this::ensure, 1, TimeUnit.SECONDS);
  }

  /** A node of ours now shows another incarnation: who wins is decided by start time. */
  void observed(MemberRecord seen) {
    if (seen != null
        && wanted
        && !seen.incarnation().equals(record.incarnation())
        && seen.startedAtMillis() > record.startedAtMillis()) {
      superseded.accept(
          "member id " + record.id() + " taken by a newer incarnation " + seen.incarnation());
      wanted = false;
    }
  }

  private long currentSession() {
    try {
      return client.getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      return -2;
    }
  }
}
