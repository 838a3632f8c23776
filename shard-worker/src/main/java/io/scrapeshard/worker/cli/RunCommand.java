package io.scrapeshard.worker.cli;

import io.scrapeshard.worker.ScrapeShardService;
import io.scrapeshard.worker.config.ConfigException;
import io.scrapeshard.worker.config.WorkerConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one worker from a configuration file until SIGTERM, then leaves gracefully. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run one worker as configured; SIGTERM leaves the cluster gracefully.")
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML file.")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override one key, as --set api.port=9090 or --set jobs[0].interval=15s; wins over"
              + " SCRAPE_SHARD_* environment variables and the file.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    WorkerConfig cfg;
    try {
      cfg = WorkerConfig.load(config, overrides, System.getenv(), RunCommand::hostName);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    ScrapeShardService service;
    try {
      service = new ScrapeShardService(cfg);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info(
                      "member {}: shutting down, leaving within {}",
                      cfg.member().id(),
                      cfg.leaveTimeout());
                  service.stop();
                  stopped.countDown();
                },
                "graceful-leave"));
    try {
      service.start();
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      return 1; // the shutdown hook stops what has started
    }
    stopped.await();
    return 0;
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "");
    }
  }
}
