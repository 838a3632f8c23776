package io.scrapeshard.coordinator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** ZooKeeper helpers that Curator lacks. */
final class Zk {

  private Zk() {}

  /**
   * A {@code sync} that waits: Curator only offers it in the background, but a read that must see
   * every write before it (a new leader's first read) needs to wait for it.
   */
  static void sync(CuratorFramework client, String path, long timeoutMillis) throws Exception {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    client.sync().inBackground((c, event) -> done.complete(event.getResultCode())).forPath(path);
    int rc;
    try {
      rc = done.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new CoordinatorException(
          "sync of " + path + " took more than " + timeoutMillis + " ms", e);
    } catch (ExecutionException e) {
      throw new CoordinatorException("sync of " + path + " failed", e.getCause());
    }
    if (rc != KeeperException.Code.OK.intValue() && rc != KeeperException.Code.NONODE.intValue()) {
      throw KeeperException.create(KeeperException.Code.get(rc), path);
    }
  }
}
