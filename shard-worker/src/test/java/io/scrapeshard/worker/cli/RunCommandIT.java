package io.scrapeshard.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapeshard.worker.demo.CountingReceiver;
import io.scrapeshard.worker.demo.LocalWorkerConfig;
import io.scrapeshard.worker.demo.SyntheticTargets;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code scrape-shard.jar run} as separate processes: two workers share the targets;
 * SIGTERM makes one leave gracefully (the other takes over well before the session would expire)
 * and exit; a bad configuration exits with 2 and names the key.
 */
class RunCommandIT {

  static final Path JAR = Path.of("target", "scrape-shard.jar");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  static Path jar() {
    assertThat(JAR)
        .as("the packaged jar; build it with: mvn -B -DskipTests package -pl shard-worker -am")
        .exists();
    return JAR.toAbsolutePath();
  }

  Process run(Path config, String name) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java, "-Xmx256m", "-jar", jar().toString(), "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static JsonNode assignments(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/api/v1/assignments?summary=true"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JSON.createObjectNode();
    }
  }

  @Test
  void sigtermLeavesGracefullyAndTheOtherWorkerTakesEverything() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        SyntheticTargets targets = new SyntheticTargets(40);
        CountingReceiver sink = new CountingReceiver()) {
      Path fileSd = targets.writeFileSd(dir.resolve("targets.json"), "it");
      int[] ports = {freePort(), freePort()};
      Process[] workers = new Process[2];
      for (int i = 0; i < 2; i++) {
        Path config =
            Files.writeString(
                dir.resolve("w" + i + ".yaml"),
                new LocalWorkerConfig(
                        zk.getConnectString(),
                        "w" + i,
                        ports[i],
                        Duration.ofSeconds(30), // a crash would wait this out; a leave does not
                        Duration.ofSeconds(1),
                        "it",
                        Duration.ofSeconds(2),
                        fileSd,
                        sink.url("it"))
                    .yaml());
        workers[i] = run(config, "w" + i);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  assignments(ports[0]).path("members").size() == 2
                      && assignments(ports[1]).path("members").size() == 2);
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.samples("it") > 0);
      long epochBefore = assignments(ports[0]).path("epoch").asLong();

      long sent = System.nanoTime();
      workers[1].destroy(); // SIGTERM

      // a crash would wait out the 30 s session; the graceful leave hands off at once
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> {
                JsonNode a = assignments(ports[0]);
                return a.path("members").size() == 1
                    && a.path("members").get(0).path("targetCount").asInt() == 40;
              });
      long tookMillis = (System.nanoTime() - sent) / 1_000_000;
      System.out.printf(
          "graceful leave: %d ms from SIGTERM to one member owning all%n", tookMillis);
      assertThat(assignments(ports[0]).path("epoch").asLong()).isGreaterThan(epochBefore);
      assertThat(workers[1].waitFor(20, TimeUnit.SECONDS)).as("the worker exits").isTrue();
      assertThat(Files.readString(dir.resolve("w1.log")))
          .contains("shutting down, leaving within")
          .contains("handed off");
      assertThat(tookMillis).isLessThan(15_000);
    }
  }

  @Test
  void aBadConfigurationExitsWithTwoAndNamesTheKey() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
            coordination:
              zookeeper: 127.0.0.1:1
            api:
              port: seventy
            jobs: []
            remoteWrite:
              url: http://127.0.0.1:1/api/v1/write
            """);

    Process p = run(config, "bad");

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("bad.log")))
        .contains("api.port: 'seventy' is not an integer")
        .contains("jobs: at least one job is required");
  }

  @Test
  void aBusyApiPortExitsWithOneAndNamesTheAddress() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path config =
          Files.writeString(
              dir.resolve("busy.yaml"),
              new LocalWorkerConfig(
                      "127.0.0.1:1",
                      "w-busy",
                      busy.getLocalPort(),
                      Duration.ofSeconds(10),
                      Duration.ofSeconds(1),
                      "it",
                      Duration.ofSeconds(2),
                      dir.resolve("none.json"),
                      "http://127.0.0.1:1/api/v1/write")
                  .yaml());

      Process p = run(config, "busy");

      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(Files.readString(dir.resolve("busy.log")))
          .contains("cannot listen on 127.0.0.1:" + busy.getLocalPort() + " for the REST API");
    }
  }

  @Test
  void aMissingConfigurationFileIsNamed() throws Exception {
    Process p = run(dir.resolve("absent.yaml"), "absent");

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("absent.log")))
        .contains("absent.yaml")
        .contains("no such file");
  }
}
