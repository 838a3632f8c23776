package io.scrapeshard.worker.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A real, single ZooKeeper server in this process (the {@code zookeeper} jar's own server classes),
 * on 127.0.0.1 and a free port, with its data in a temporary directory removed on close. For the
 * demo only: one server is no ensemble.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

  private final Path dir;
  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;

  /**
   * @param tickMillis ZooKeeper's tick; sessions may last 2 to 120 ticks
   */
  public EmbeddedZooKeeper(int tickMillis) {
    try {
      dir = Files.createTempDirectory("scrape-shard-zk");
      server = new ZooKeeperServer(dir.toFile(), dir.toFile(), tickMillis);
      server.setMaxSessionTimeout(120 * tickMillis);
      factory =
          ServerCnxnFactory.createFactory(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
      factory.startup(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded ZooKeeper", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting ZooKeeper", e);
    }
  }

  /** The connect string, {@code 127.0.0.1:<port>}. */
  public String connectString() {
    return "127.0.0.1:" + factory.getLocalPort();
  }

  @Override
  public void close() {
    factory.shutdown();
    server.shutdown();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
