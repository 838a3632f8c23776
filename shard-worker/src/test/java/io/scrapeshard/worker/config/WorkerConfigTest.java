package io.scrapeshard.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  private static final String MINIMAL =
      """
      coordination:
        zookeeper: zk:2181
      jobs:
        - name: pods
          kubernetes: {}
      remoteWrite:
        url: http://receiver:9090/api/v1/write
      """;

  private static WorkerConfig parse(
      String yaml, Map<String, String> flags, Map<String, String> env) {
    return WorkerConfig.parse("test.yaml", yaml, flags, env, () -> "host-a");
  }

  private static ConfigException rejected(
      String yaml, Map<String, String> flags, Map<String, String> env) {
    try {
      parse(yaml, flags, env);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("the configuration was accepted");
  }

  @Test
  void aMinimalFileGetsTheDocumentedDefaults() {
    WorkerConfig c = parse(MINIMAL, Map.of(), Map.of());

    assertThat(c.cluster()).isEqualTo("default");
    assertThat(c.coordination().root()).isEqualTo("/scrape-shard");
    assertThat(c.coordination().sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.coordination().handoffDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.api().port()).isEqualTo(8080);
    assertThat(c.api().bearerTokenFile()).isNull();
    assertThat(c.member().id()).isEqualTo("host-a");
    assertThat(c.member().address()).isEqualTo("host-a:8080");
    assertThat(c.member().weight()).isEqualTo(1.0);
    assertThat(c.leaveTimeout()).isEqualTo(Duration.ofSeconds(25));
    assertThat(c.jobs()).hasSize(1);
    WorkerConfig.Job job = c.jobs().get(0);
    assertThat(job.scrape().interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(job.scrape().timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(job.kubernetes().podLabels()).isTrue();
    assertThat(job.fileSd()).isNull();
    assertThat(c.remoteWrite().url().toString()).isEqualTo("http://receiver:9090/api/v1/write");
  }

  @Test
  void memberIdComesFromPodNameBeforeTheHostNameAndTheAddressFromPodIp() {
    WorkerConfig c =
        parse(MINIMAL, Map.of(), Map.of("POD_NAME", "scrape-shard-2", "POD_IP", "10.0.0.7"));

    assertThat(c.member().id()).isEqualTo("scrape-shard-2");
    assertThat(c.member().address()).isEqualTo("10.0.0.7:8080");
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() {
    Map<String, String> env =
        Map.of(
            "SCRAPE_SHARD_COORDINATION_ZOOKEEPER", "zk-env:2181",
            "SCRAPE_SHARD_API_PORT", "9000",
            "SCRAPE_SHARD_COORDINATION_SESSION_TIMEOUT", "4s",
            "SCRAPE_SHARD_JOBS_0_INTERVAL", "15s");
    WorkerConfig c = parse(MINIMAL, Map.of("api.port", "9100", "member.id", "m-1"), env);

    assertThat(c.coordination().zookeeper()).isEqualTo("zk-env:2181");
    assertThat(c.api().port()).isEqualTo(9100);
    assertThat(c.coordination().sessionTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.jobs().get(0).scrape().interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.member().id()).isEqualTo("m-1");
  }

  @Test
  void everyProblemIsReportedWithItsKeyAndValue() {
    String yaml =
        """
        clustr: typo
        coordination:
          zookeeper: zk:2181
          sessionTimeout: ten seconds
        api:
          port: 70000
        member:
          weight: -1
        jobs:
          - name: pods
            interval: 10s
            timeout: 20s
            kubernetes: {namespace: [a]}
          - name: pods
            kubernetes: {}
            fileSd: {files: [a.json]}
        remoteWrite:
          url: ftp://x
        """;

    ConfigException e = rejected(yaml, Map.of(), Map.of());

    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("clustr: unknown key"))
        .anySatisfy(p -> assertThat(p).contains("coordination.sessionTimeout: 'ten seconds'"))
        .anySatisfy(p -> assertThat(p).contains("api.port: 70000 is out of range 0-65535"))
        .anySatisfy(p -> assertThat(p).contains("member.weight: -1.0"))
        .anySatisfy(
            p -> assertThat(p).isEqualTo("jobs[0].timeout: 20s must be at most the interval 10s"))
        .anySatisfy(p -> assertThat(p).startsWith("jobs[0].kubernetes.namespace: unknown key"))
        .anySatisfy(p -> assertThat(p).contains("jobs[1].name: 'pods' is used by another job"))
        .anySatisfy(p -> assertThat(p).contains("jobs[1].kubernetes").contains("got both"))
        .anySatisfy(p -> assertThat(p).contains("remoteWrite.url: 'ftp://x'"));
    assertThat(e.getMessage()).contains("test.yaml");
  }

  @Test
  void requiredKeysAreNamed() {
    ConfigException e = rejected("jobs: []\n", Map.of(), Map.of());

    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("coordination.zookeeper: required"))
        .anySatisfy(p -> assertThat(p).startsWith("jobs: at least one job"))
        .anySatisfy(p -> assertThat(p).startsWith("remoteWrite.url: required"));
  }

  @Test
  void unknownOverridesAreRejectedToo() {
    ConfigException e =
        rejected(MINIMAL, Map.of("api.prot", "1"), Map.of("SCRAPE_SHARD_NO_SUCH_KEY", "x"));

    assertThat(e.problems())
        .containsExactly(
            "--set api.prot: unknown key",
            "environment variable SCRAPE_SHARD_NO_SUCH_KEY: names no configuration key");
  }

  @Test
  void aMissingTokenFileIsNamed() {
    ConfigException e =
        rejected(MINIMAL + "api:\n  bearerTokenFile: /no/such/token\n", Map.of(), Map.of());

    assertThat(e.problems())
        .containsExactly("api.bearerTokenFile: '/no/such/token' is not a readable file");
  }

  @Test
  void notYamlIsRejectedWithTheReason() {
    assertThatThrownBy(() -> parse("a: [unclosed", Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void durationsFollowPrometheus() {
    assertThat(ConfigReader.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ConfigReader.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigReader.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> ConfigReader.parseDuration("10")).hasMessageContaining("30s");
    assertThatThrownBy(() -> ConfigReader.parseDuration("5s junk"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsAreWrittenBackAsPrometheusDoes() {
    assertThat(ConfigReader.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(ConfigReader.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(ConfigReader.format(Duration.ZERO)).isEqualTo("0ms");
  }

  @Test
  void envNamesFollowTheKeys() {
    assertThat(ConfigReader.envName("coordination.sessionTimeout"))
        .isEqualTo("SCRAPE_SHARD_COORDINATION_SESSION_TIMEOUT");
    assertThat(ConfigReader.envName("jobs[2].fileSd.refresh"))
        .isEqualTo("SCRAPE_SHARD_JOBS_2_FILE_SD_REFRESH");
  }
}
