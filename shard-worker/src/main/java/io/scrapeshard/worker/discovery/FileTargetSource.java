package io.scrapeshard.worker.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrape targets from Prometheus file_sd files (JSON or YAML; see {@link FileSdParser}), re-read
 * when their content changes (checked every {@code refresh}). A file that cannot be parsed keeps
 * its previous targets and is logged with its path and the problem; a file that is deleted loses
 * its targets. A file that turns empty loses its targets only when it still reads empty one refresh
 * later, because a writer that truncates before writing shows an empty file for a moment.
 */
public final class FileTargetSource extends PublishingTargetSource {

  private static final Logger LOG = LoggerFactory.getLogger(FileTargetSource.class);

  private final List<Path> files;
  private final FileSdParser parser;
  private final Duration refresh;
  private final Clock clock;
  private final Map<Path, byte[]> lastContent = new HashMap<>();
  private final Set<Path> emptyOnce = new HashSet<>();
  private final ScheduledExecutorService poller;
  private final AtomicBoolean started = new AtomicBoolean();

  /**
   * @param files the files to read; each may be missing at first
   * @param job the {@code job} label of targets whose group sets none
   * @param refresh how often the files are checked for changes
   */
  public FileTargetSource(List<Path> files, String job, Duration refresh, Clock clock) {
    super("file-sd");
    if (files.isEmpty()) {
      throw new IllegalArgumentException("file_sd needs at least one file");
    }
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("refresh must be positive, got " + refresh);
    }
    this.files = List.copyOf(files);
    this.parser = new FileSdParser(job);
    this.refresh = refresh;
    this.clock = clock;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "file-sd-poller");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("file_sd source already started");
    }
    poller.execute(
        () -> {
          readAll();
          publisher.synced();
        });
    poller.scheduleWithFixedDelay(
        this::readAll, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void readAll() {
    for (Path file : files) {
      read(file);
    }
  }

  private void read(Path file) {
    String prefix = file.toAbsolutePath() + "#";
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      if (lastContent.remove(file) != null) {
        LOG.info("file_sd {} was deleted; its targets are gone", file);
      }
      publisher.replaceAll(prefix, Map.of());
      return;
    } catch (IOException e) {
      LOG.warn("file_sd {} cannot be read ({}); keeping its previous targets", file, e.toString());
      return;
    }
    byte[] previous = lastContent.get(file);
    if (Arrays.equals(content, previous)) {
      emptyOnce.remove(file);
      return;
    }
    if (content.length == 0 && previous != null && previous.length > 0 && emptyOnce.add(file)) {
      // A writer that truncates and then writes (not the atomic rename Prometheus recommends)
      // shows an empty file in between; an emptied file is believed at its second reading.
      return;
    }
    emptyOnce.remove(file);
    lastContent.put(file, content);
    try {
      List<ScrapeTarget> targets = parser.parse(file, content);
      Map<String, ScrapeTarget> byOwner = new HashMap<>();
      targets.forEach(t -> byOwner.put(prefix + t.key().value(), t));
      publisher.replaceAll(prefix, byOwner);
      LOG.info("file_sd {}: {} targets", file, byOwner.size());
    } catch (IllegalArgumentException e) {
      publisher.invalid(
          file.toString(),
          InvalidTargetReason.FILE_ENTRY_INVALID,
          "file_sd " + file + " " + e.getMessage() + "; keeping its previous targets",
          clock.millis());
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    publisher.close();
  }
}
