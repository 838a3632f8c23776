package io.scrapeshard.worker.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scrapeshard.hashing.TargetKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTargetSourceTest {

  @TempDir Path dir;
  FileTargetSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private FileTargetSource start(Path... files) {
    source = new FileTargetSource(List.of(files), "file", Duration.ofMillis(50), Clock.systemUTC());
    source.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> source.snapshot().synced());
    return source;
  }

  @Test
  void readsJsonWithMetaLabels() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("a.json"),
            """
        [{"targets": ["127.0.0.1:9100", "127.0.0.1:9101"],
          "labels": {"env": "dev", "__metrics_path__": "/m", "__scheme__": "https", "__param_x": "1", "__meta_drop": "y"}}]
        """);

    start(f);

    var targets = source.snapshot().targets();
    assertThat(targets)
        .containsOnlyKeys(
            TargetKey.of("https://127.0.0.1:9100/m?x=1"),
            TargetKey.of("https://127.0.0.1:9101/m?x=1"));
    ScrapeTarget t = targets.get(TargetKey.of("https://127.0.0.1:9100/m?x=1"));
    assertThat(t.labels())
        .containsOnlyKeys("env", "job", "instance")
        .containsEntry("job", "file")
        .containsEntry("instance", "127.0.0.1:9100");
  }

  @Test
  void readsYaml() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("b.yaml"),
            """
        - targets: ['localhost:8080']
          labels:
            job: api
        """);

    start(f);

    ScrapeTarget t = source.snapshot().targets().get(TargetKey.of("http://localhost:8080/metrics"));
    assertThat(t.labels()).containsEntry("job", "api");
  }

  @Test
  void aChangedFileIsReReadAndListenersHearOfIt() throws IOException {
    Path f = Files.writeString(dir.resolve("c.json"), "[{\"targets\": [\"h:1\"]}]");
    start(f);
    List<TargetSource.Snapshot> heard = new CopyOnWriteArrayList<>();
    source.addListener(heard::add);

    Files.writeString(f, "[{\"targets\": [\"h:1\", \"h:2\"]}]");

    await().atMost(Duration.ofSeconds(5)).until(() -> source.snapshot().targets().size() == 2);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !heard.isEmpty() && heard.get(heard.size() - 1).targets().size() == 2);
  }

  @Test
  void aCorruptFileKeepsItsPreviousTargetsAndIsCounted() throws IOException {
    Path f = Files.writeString(dir.resolve("d.json"), "[{\"targets\": [\"h:1\"]}]");
    start(f);

    Files.writeString(f, "[{\"targets\": [\"h:1\", \"no-port\"]}]");

    await().atMost(Duration.ofSeconds(5)).until(() -> invalidFiles() >= 1);
    assertThat(source.snapshot().targets()).containsOnlyKeys(TargetKey.of("http://h:1/metrics"));

    long before = invalidFiles();
    Files.writeString(f, "{ this is not json");
    await().atMost(Duration.ofSeconds(5)).until(() -> invalidFiles() > before);
    assertThat(source.snapshot().targets()).containsOnlyKeys(TargetKey.of("http://h:1/metrics"));
  }

  @Test
  void anEmptiedFileLosesItsTargetsOnceItStaysEmpty() throws IOException {
    Path f = Files.writeString(dir.resolve("g.json"), "[{\"targets\": [\"h:1\"]}]");
    start(f);

    Files.writeString(f, "");

    await().atMost(Duration.ofSeconds(5)).until(() -> source.snapshot().targets().isEmpty());
    assertThat(source.invalidCounts().getOrDefault(InvalidTargetReason.FILE_ENTRY_INVALID, 0L))
        .isZero();
  }

  /** Unreadable file contents so far (a non-atomic write may add a half-written one). */
  private long invalidFiles() {
    return source.invalidCounts().getOrDefault(InvalidTargetReason.FILE_ENTRY_INVALID, 0L);
  }

  @Test
  void aDeletedFileLosesItsTargetsAndAMissingOneAppearsLater() throws IOException {
    Path a = Files.writeString(dir.resolve("e.json"), "[{\"targets\": [\"h:1\"]}]");
    Path b = dir.resolve("later.json");
    start(a, b);
    assertThat(source.snapshot().targets()).hasSize(1);

    Files.delete(a);
    Files.writeString(b, "[{\"targets\": [\"h:7\"]}]");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                source
                    .snapshot()
                    .targets()
                    .keySet()
                    .equals(java.util.Set.of(TargetKey.of("http://h:7/metrics"))));
  }
}
