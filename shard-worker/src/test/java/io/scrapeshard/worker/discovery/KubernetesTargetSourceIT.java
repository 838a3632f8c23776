package io.scrapeshard.worker.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.scrapeshard.hashing.TargetKey;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pod discovery against fabric8's mock API server in CRUD mode (watches, label changes). */
class KubernetesTargetSourceIT {

  KubernetesMockServer server;
  KubernetesClient client;
  KubernetesTargetSource source;

  @BeforeEach
  void startServer() {
    server = crudServer();
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    client.close();
    server.destroy();
  }

  static KubernetesMockServer crudServer() {
    return new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
  }

  private KubernetesTargetSource start(
      List<String> namespaces, Set<String> excluded, String selector) {
    source =
        KubernetesTargetSource.builder(client)
            .namespaces(namespaces)
            .excludedNamespaces(excluded)
            .labelSelector(selector)
            .build();
    source.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> source.snapshot().synced());
    return source;
  }

  static Pod pod(String ns, String name, String port, String phase, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .withLabels(labels)
        .withAnnotations(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", port))
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-a")
        .addNewContainer()
        .withName("app")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .withPodIP("10.0.0." + (Math.abs(name.hashCode()) % 250 + 1))
        .endStatus()
        .build();
  }

  private void create(Pod p) {
    client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
  }

  private Set<String> keys() {
    return source.snapshot().targets().keySet().stream()
        .map(TargetKey::value)
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void followsCreatesUpdatesPhaseChangesAndDeletes() {
    create(pod("shop", "web-0", "8080", "Running", Map.of("app", "web")));
    create(pod("shop", "web-1", "8080", "Pending", Map.of("app", "web")));
    start(List.of(), Set.of(), null);
    assertThat(keys()).containsExactly("shop/web-0:8080");

    client
        .pods()
        .inNamespace("shop")
        .withName("web-1")
        .editStatus(p -> new PodBuilder(p).editStatus().withPhase("Running").endStatus().build());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> keys().equals(Set.of("shop/web-0:8080", "shop/web-1:8080")));

    client
        .pods()
        .inNamespace("shop")
        .withName("web-0")
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToAnnotations("prometheus.io/port", "9090")
                    .endMetadata()
                    .build());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> keys().equals(Set.of("shop/web-0:9090", "shop/web-1:8080")));

    client
        .pods()
        .inNamespace("shop")
        .withName("web-1")
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToLabels("tier", "front")
                    .endMetadata()
                    .build());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                "front"
                    .equals(
                        source
                            .snapshot()
                            .targets()
                            .get(TargetKey.of("shop/web-1:8080"))
                            .labels()
                            .get("tier")));

    client.pods().inNamespace("shop").withName("web-0").delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> keys().equals(Set.of("shop/web-1:8080")));
  }

  @Test
  void aBadAnnotationSkipsOnlyThatPodAndIsCounted() {
    create(pod("shop", "good", "8080", "Running", Map.of()));
    create(pod("shop", "bad", "eighty", "Running", Map.of()));

    start(List.of(), Set.of(), null);

    assertThat(keys()).containsExactly("shop/good:8080");
    assertThat(source.invalidCounts()).containsEntry(InvalidTargetReason.PORT_INVALID, 1L);
  }

  @Test
  void watchesOnlyTheConfiguredNamespacesLessTheExcludedOnes() {
    create(pod("a", "p", "8080", "Running", Map.of()));
    create(pod("b", "p", "8080", "Running", Map.of()));
    create(pod("c", "p", "8080", "Running", Map.of()));

    start(List.of("a", "b"), Set.of("b"), null);
    create(pod("a", "q", "8080", "Running", Map.of()));
    create(pod("c", "q", "8080", "Running", Map.of()));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> keys().equals(Set.of("a/p:8080", "a/q:8080")));
  }

  @Test
  void aLabelSelectorNarrowsThePods() {
    create(pod("a", "p", "8080", "Running", Map.of("team", "x")));
    create(pod("a", "q", "8080", "Running", Map.of("team", "y")));

    start(List.of(), Set.of(), "team=x");

    assertThat(keys()).containsExactly("a/p:8080");
  }

  @Test
  void anApiServerOutageKeepsTheSnapshotAndAReturnResyncsIt() {
    create(pod("shop", "web-0", "8080", "Running", Map.of()));
    create(pod("shop", "web-1", "8080", "Running", Map.of()));
    start(List.of(), Set.of(), null);
    assertThat(keys()).hasSize(2);
    int port = server.getPort();

    server.destroy();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> keys().size() == 2);

    server = crudServer(); // comes back with other content: web-1 is gone, web-2 is new
    server.init(InetAddress.getLoopbackAddress(), port);
    KubernetesClient admin = server.createClient();
    admin
        .pods()
        .inNamespace("shop")
        .resource(pod("shop", "web-0", "8080", "Running", Map.of()))
        .create();
    admin
        .pods()
        .inNamespace("shop")
        .resource(pod("shop", "web-2", "8080", "Running", Map.of()))
        .create();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> keys().equals(Set.of("shop/web-0:8080", "shop/web-2:8080")));
    admin.close();
  }
}
