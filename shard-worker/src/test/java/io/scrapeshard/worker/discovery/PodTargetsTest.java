package io.scrapeshard.worker.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodTargetsTest {

  final PodTargets targets = new PodTargets("kubernetes-pods", true);

  static PodBuilder pod(Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName("web-0")
        .withAnnotations(annotations)
        .withLabels(Map.of("app.kubernetes.io/name", "web", "tier", "front", "job", "sneaky"))
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-1")
        .addNewInitContainer()
        .withName("init")
        .addNewPort()
        .withContainerPort(8080)
        .endPort()
        .endInitContainer()
        .addNewContainer()
        .withName("sidecar")
        .endContainer()
        .addNewContainer()
        .withName("app")
        .addNewPort()
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP("10.1.2.3")
        .endStatus();
  }

  static Map<String, String> scrape(String port) {
    return Map.of("prometheus.io/scrape", "true", "prometheus.io/port", port);
  }

  @Test
  void anAnnotatedRunningPodIsATargetWithTheUsualLabels() {
    PodTargets.Result r = targets.of(pod(scrape("8080")).build());

    ScrapeTarget t = ((PodTargets.Target) r).target();
    assertThat(t.key().value()).isEqualTo("shop/web-0:8080");
    assertThat(t.uri()).hasToString("http://10.1.2.3:8080/metrics");
    assertThat(t.node()).isEqualTo("node-1");
    assertThat(t.labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "job", "kubernetes-pods",
                "namespace", "shop",
                "pod", "web-0",
                "node", "node-1",
                "container", "app",
                "instance", "10.1.2.3:8080",
                "app_kubernetes_io_name", "web",
                "tier", "front"));
  }

  @Test
  void pathSchemeAndParamsComeFromTheirAnnotations() {
    Map<String, String> a =
        Map.of(
            "prometheus.io/scrape", "true",
            "prometheus.io/port", "9443",
            "prometheus.io/path", "/probe",
            "prometheus.io/scheme", "https",
            "prometheus.io/param_module", "http_2xx",
            "prometheus.io/param_target", "example.com");

    ScrapeTarget t = ((PodTargets.Target) targets.of(pod(a).build())).target();

    assertThat(t.key().value()).isEqualTo("shop/web-0:9443/probe");
    assertThat(t.uri())
        .hasToString("https://10.1.2.3:9443/probe?module=http_2xx&target=example.com");
    assertThat(t.labels()).doesNotContainKey("container");
  }

  @Test
  void podLabelsCanBeLeftOut() {
    ScrapeTarget t =
        ((PodTargets.Target) new PodTargets("pods", false).of(pod(scrape("8080")).build()))
            .target();

    assertThat(t.labels())
        .containsOnlyKeys("job", "namespace", "pod", "node", "container", "instance");
    assertThat(t.labels()).containsEntry("job", "pods");
  }

  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "prometheus.io/port | abc | PORT_INVALID | prometheus.io/port must be 1-65535, got 'abc'",
        "prometheus.io/port | 0 | PORT_INVALID | prometheus.io/port must be 1-65535, got '0'",
        "prometheus.io/port | 70000 | PORT_INVALID | prometheus.io/port must be 1-65535, got '70000'",
        "prometheus.io/scheme | ftp | SCHEME_INVALID | prometheus.io/scheme must be http or https, got 'ftp'",
        "prometheus.io/path | metrics | PATH_INVALID | prometheus.io/path must start with '/' and have no spaces, got 'metrics'",
        "prometheus.io/param_bad name | x | PARAM_NAME_INVALID | invalid query parameter name in annotation 'prometheus.io/param_bad name'"
      })
  void aBadAnnotationIsRejectedWithItsReason(
      String annotation, String value, InvalidTargetReason reason, String message) {
    Map<String, String> a = new java.util.HashMap<>(scrape("8080"));
    a.put(annotation, value);

    PodTargets.Result r = targets.of(pod(a).build());

    assertThat(r).isEqualTo(new PodTargets.Invalid(reason, "pod shop/web-0: " + message));
  }

  @Test
  void aMissingPortIsRejected() {
    PodTargets.Result r = targets.of(pod(Map.of("prometheus.io/scrape", "true")).build());

    assertThat(r)
        .isEqualTo(
            new PodTargets.Invalid(
                InvalidTargetReason.PORT_MISSING,
                "pod shop/web-0: prometheus.io/port is required"));
  }

  @Test
  void podsThatAreNotRunningOrHaveNoIpOrAreTerminatingAreIgnored() {
    Pod pending = pod(scrape("8080")).editStatus().withPhase("Pending").endStatus().build();
    Pod noIp = pod(scrape("8080")).editStatus().withPodIP(null).endStatus().build();
    Pod terminating =
        pod(scrape("8080"))
            .editMetadata()
            .withDeletionTimestamp("2026-11-26T00:00:00Z")
            .endMetadata()
            .build();
    Pod unannotated = pod(Map.of("prometheus.io/port", "8080")).build();
    Pod notTrue =
        pod(Map.of("prometheus.io/scrape", "false", "prometheus.io/port", "8080")).build();

    for (Pod p : List.of(pending, noIp, terminating, unannotated, notTrue)) {
      assertThat(targets.of(p)).isInstanceOf(PodTargets.Ignored.class);
    }
  }

  @Test
  void ipv6AddressesAreBracketed() {
    Pod p = pod(scrape("8080")).editStatus().withPodIP("fd00::7").endStatus().build();

    assertThat(((PodTargets.Target) targets.of(p)).target().uri())
        .hasToString("http://[fd00::7]:8080/metrics");
  }

  @ParameterizedTest
  @CsvSource({
    "app.kubernetes.io/name,app_kubernetes_io_name",
    "1st,_1st",
    "ok_name,ok_name",
    "a-b,a_b"
  })
  void labelNamesAreSanitised(String raw, String sanitised) {
    assertThat(LabelNames.sanitize(raw)).isEqualTo(sanitised);
    assertThat(LabelNames.valid(sanitised)).isTrue();
  }
}
