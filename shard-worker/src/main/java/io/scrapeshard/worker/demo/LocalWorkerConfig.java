package io.scrapeshard.worker.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The configuration file of a worker on this machine that reads one file_sd file and writes to one
 * receiver: what the demo and the benchmarks run. Written as YAML so that they go through the same
 * loader as {@code scrape-shard run}.
 *
 * @param apiPort the REST API's port on 127.0.0.1; 0 for a free one (peers then cannot read this
 *     worker's epochs, which only matters while ZooKeeper is unreachable)
 */
public record LocalWorkerConfig(
    String zooKeeper,
    String memberId,
    int apiPort,
    Duration sessionTimeout,
    Duration handoffDelay,
    String job,
    Duration interval,
    Path fileSd,
    String remoteWriteUrl) {

  /** The YAML text; the scrape timeout is the interval, at most 10 s. */
  public String yaml() {
    return """
        cluster: local
        coordination:
          zookeeper: "%s"
          sessionTimeout: %dms
          handoffDelay: %dms
        member:
          id: %s
          address: "127.0.0.1:%d"
        api:
          host: 127.0.0.1
          port: %d
        leaveTimeout: 20s
        jobs:
          - name: %s
            interval: %dms
            timeout: %dms
            fileSd:
              files: ["%s"]
              refresh: 5s
        remoteWrite:
          url: "%s"
        """
        .formatted(
            zooKeeper,
            sessionTimeout.toMillis(),
            handoffDelay.toMillis(),
            memberId,
            apiPort,
            apiPort,
            job,
            interval.toMillis(),
            Math.min(10_000, interval.toMillis()),
            fileSd.toString().replace("\\", "/"),
            remoteWriteUrl);
  }
}
