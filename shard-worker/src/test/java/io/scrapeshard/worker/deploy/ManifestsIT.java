package io.scrapeshard.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.scrapeshard.worker.api.ShardApi;
import io.scrapeshard.worker.config.WorkerConfig;
import io.scrapeshard.worker.discovery.KubernetesTargetSource;
import io.scrapeshard.worker.discovery.PodTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under {@code k8s/} loads into fabric8's typed model, every kustomization lists
 * exactly its files, and the manifests agree with the code: the configuration in the ConfigMap is
 * valid for the worker with the env the StatefulSet gives it, ports, probe paths, names, selectors,
 * grace period vs leave timeout, the ZooKeeper connect string vs the ensemble, the image's user,
 * and RBAC vs the API calls discovery really makes (recorded on the mock API server).
 */
class ManifestsIT {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final KubernetesSerialization K8S = new KubernetesSerialization();
  static final Path ROOT = projectRoot();

  static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("k8s/kustomization.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "k8s/kustomization.yaml not found above " + Path.of("").toAbsolutePath());
  }

  /** The resources of a kustomization, recursively; checks it lists exactly its YAML files. */
  static List<HasMetadata> load(Path dir) throws IOException {
    JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    assertThat(k.path("kind").asText()).isEqualTo("Kustomization");
    String namespace = k.path("namespace").asText(null);
    List<HasMetadata> out = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText());
      assertThat(p).as("%s lists %s", dir, r.asText()).exists();
      listed.add(p.getFileName().toString());
      if (Files.isDirectory(p)) {
        out.addAll(load(p));
        continue;
      }
      for (String doc : Files.readString(p).split("(?m)^---\\s*$")) {
        if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
          continue;
        }
        HasMetadata resource = K8S.unmarshal(doc);
        assertThat(resource)
            .as("%s: kind %s is not in fabric8's typed model", p, resource.getKind())
            .isNotInstanceOf(GenericKubernetesResource.class);
        if (namespace != null
            && !(resource instanceof Namespace)
            && !(resource instanceof ClusterRole)
            && !(resource instanceof ClusterRoleBinding)) {
          assertThat(resource.getMetadata().getNamespace())
              .as("%s %s namespace", p, resource.getMetadata().getName())
              .isEqualTo(namespace);
        }
        out.add(resource);
      }
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> yaml =
          files
              .filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml"))
              .map(f -> f.getFileName().toString())
              .toList();
      assertThat(listed).as("%s: every manifest is listed", dir).containsAll(yaml);
    }
    return out;
  }

  static <T extends HasMetadata> T one(List<HasMetadata> all, Class<T> type, String name) {
    return all.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @Test
  void everyManifestLoadsIntoTheTypedModel() throws IOException {
    assertThat(load(ROOT.resolve("k8s")))
        .extracting(HasMetadata::getKind)
        .contains(
            "Namespace",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "ConfigMap",
            "StatefulSet",
            "Service",
            "PodDisruptionBudget");
    assertThat(load(ROOT.resolve("k8s/daemonset-baseline")))
        .extracting(HasMetadata::getKind)
        .contains("DaemonSet");
    assertThat(load(ROOT.resolve("k8s/examples")))
        .extracting(HasMetadata::getKind)
        .contains("Deployment");
  }

  @Test
  void theWorkerStatefulSetAgreesWithTheCode() throws IOException {
    List<HasMetadata> all = load(ROOT.resolve("k8s"));
    StatefulSet sts = one(all, StatefulSet.class, "scrape-shard");
    var pod = sts.getSpec().getTemplate();
    Container c = pod.getSpec().getContainers().get(0);

    // the configuration, read by the real loader with the env the pod gets
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValueFrom() != null) {
        String field = e.getValueFrom().getFieldRef().getFieldPath();
        env.put(e.getName(), field.equals("metadata.name") ? "scrape-shard-1" : "10.1.2.3");
        assertThat(field).isIn("metadata.name", "status.podIP");
      } else {
        env.put(e.getName(), e.getValue());
      }
    }
    assertThat(env).containsEntry("POD_NAME", "scrape-shard-1").containsEntry("POD_IP", "10.1.2.3");
    assertThat(c.getArgs()).hasSize(3).startsWith("run", "--config");
    Path configPath = Path.of(c.getArgs().get(2));
    var mount =
        c.getVolumeMounts().stream()
            .filter(m -> configPath.startsWith(m.getMountPath()))
            .findFirst()
            .orElseThrow();
    var volume =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    ConfigMap cm = one(all, ConfigMap.class, volume.getConfigMap().getName());
    String yaml = cm.getData().get(configPath.getFileName().toString());
    assertThat(yaml).as("the ConfigMap holds %s", configPath.getFileName()).isNotNull();
    WorkerConfig cfg = WorkerConfig.parse("configmap", yaml, Map.of(), env, () -> "unused");
    assertThat(cfg.member().id()).isEqualTo("scrape-shard-1");
    assertThat(cfg.member().address()).isEqualTo("10.1.2.3:" + cfg.api().port());

    // ports and probes
    var apiPort =
        c.getPorts().stream().filter(p -> "api".equals(p.getName())).findFirst().orElseThrow();
    assertThat(apiPort.getContainerPort()).isEqualTo(cfg.api().port());
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo(ShardApi.READINESS_PATH);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo(ShardApi.LIVENESS_PATH);
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("api");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("api");

    // the graceful leave ends before the kill
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds())
        .isGreaterThanOrEqualTo(cfg.leaveTimeout().toSeconds() + 10);

    // services, PDB, service account and RBAC line up
    Map<String, String> podLabels = pod.getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
    Service headless = one(all, Service.class, sts.getSpec().getServiceName());
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    Service api = one(all, Service.class, "scrape-shard");
    for (Service s : List.of(headless, api)) {
      assertThat(podLabels).containsAllEntriesOf(s.getSpec().getSelector());
      assertThat(s.getSpec().getPorts())
          .allSatisfy(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("api"));
    }
    PodDisruptionBudget pdb = one(all, PodDisruptionBudget.class, "scrape-shard");
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    ServiceAccount sa = one(all, ServiceAccount.class, pod.getSpec().getServiceAccountName());
    ClusterRoleBinding binding = one(all, ClusterRoleBinding.class, "scrape-shard-discovery");
    assertThat(binding.getSubjects())
        .anySatisfy(
            s -> {
              assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo(sa.getMetadata().getNamespace());
            });
    one(all, ClusterRole.class, binding.getRoleRef().getName());

    // the image runs as the user the pod expects, on the API port
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("USER " + pod.getSpec().getSecurityContext().getRunAsUser())
        .contains("EXPOSE " + cfg.api().port())
        .contains("shard-worker/target/scrape-shard.jar");
  }

  @Test
  void theZooKeeperConnectStringNamesTheEnsemble() throws IOException {
    List<HasMetadata> all = load(ROOT.resolve("k8s"));
    StatefulSet zk = one(all, StatefulSet.class, "zk");
    Service headless = one(all, Service.class, zk.getSpec().getServiceName());
    int clientPort =
        headless.getSpec().getPorts().stream()
            .filter(p -> p.getName().equals("client"))
            .findFirst()
            .orElseThrow()
            .getPort();
    ConfigMap cm = one(all, ConfigMap.class, "scrape-shard-config");
    WorkerConfig cfg =
        WorkerConfig.parse(
            "configmap",
            cm.getData().get("config.yaml"),
            Map.of(),
            Map.of("POD_NAME", "x"),
            () -> "x");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < zk.getSpec().getReplicas(); i++) {
      expected.add(
          "zk-"
              + i
              + "."
              + headless.getMetadata().getName()
              + "."
              + headless.getMetadata().getNamespace()
              + ".svc.cluster.local:"
              + clientPort);
    }
    assertThat(cfg.coordination().zookeeper().split(",")).containsExactlyElementsOf(expected);
    String servers =
        zk.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("ZOO_SERVERS"))
            .findFirst()
            .orElseThrow()
            .getValue();
    for (int i = 0; i < expected.size(); i++) {
      assertThat(servers).contains("server." + (i + 1) + "=" + expected.get(i).split(":")[0]);
    }
  }

  @Test
  void theClusterRoleCoversExactlyWhatDiscoveryCalls() throws Exception {
    ClusterRole role = one(load(ROOT.resolve("k8s")), ClusterRole.class, "scrape-shard-discovery");
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    List<RecordedRequest> seen = new ArrayList<>();
    try (KubernetesClient client = server.createClient()) {
      List<List<String>> scopes = List.of(List.of(), List.of("shop"));
      for (int i = 0; i < scopes.size(); i++) {
        int watches = i + 1;
        try (KubernetesTargetSource source =
            KubernetesTargetSource.builder(client).namespaces(scopes.get(i)).build()) {
          source.start();
          await().atMost(Duration.ofSeconds(10)).until(() -> source.snapshot().synced());
          // the informer lists, then watches: wait until this source's watch has arrived
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> {
                    drain(server, seen);
                    return seen.stream().filter(r -> r.getPath().contains("watch=true")).count()
                        >= watches;
                  });
        }
      }
      drain(server, seen);
    } finally {
      server.destroy();
    }
    Set<String> used = new HashSet<>();
    for (RecordedRequest r : seen) {
      String resourcePath = r.getPath().split("\\?")[0];
      assertThat(r.getMethod()).as("discovery only reads").isEqualTo("GET");
      assertThat(resourcePath)
          .as("discovery only reads pods")
          .matches("/api/v1/(namespaces/[^/]+/)?pods(/[^/]+)?");
      used.add(
          r.getPath().contains("watch=true")
              ? "watch"
              : resourcePath.matches(".*/pods/[^/]+") ? "get" : "list");
    }
    assertThat(used).contains("list", "watch");
    assertThat(role.getRules()).hasSize(1);
    PolicyRule rule = role.getRules().get(0);
    assertThat(rule.getApiGroups()).containsExactly("");
    assertThat(rule.getResources()).containsExactly("pods");
    assertThat(rule.getVerbs()).containsAll(used).containsExactlyInAnyOrder("get", "list", "watch");
  }

  private static void drain(KubernetesMockServer server, List<RecordedRequest> into)
      throws InterruptedException {
    for (RecordedRequest r = server.takeRequest(10, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
      into.add(r);
    }
  }

  @Test
  void theBaselineDaemonSetScrapesOnlyItsNode() throws IOException {
    List<HasMetadata> all = load(ROOT.resolve("k8s/daemonset-baseline"));
    DaemonSet ds = one(all, DaemonSet.class, "node-scraper");
    EnvVar node =
        ds.getSpec().getTemplate().getSpec().getInitContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("NODE_NAME"))
            .findFirst()
            .orElseThrow();
    assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    ConfigMap cm = one(all, ConfigMap.class, "node-scraper-config");
    JsonNode prom = YAML.readTree(cm.getData().get("prometheus.yml.template"));
    JsonNode sd = prom.path("scrape_configs").get(0).path("kubernetes_sd_configs").get(0);
    assertThat(sd.path("selectors").get(0).path("field").asText())
        .isEqualTo("spec.nodeName=NODE_NAME");
    assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .contains("--enable-feature=agent");
  }

  @Test
  void theExampleWorkloadIsDiscoveredAsATarget() throws IOException {
    Deployment d = one(load(ROOT.resolve("k8s/examples")), Deployment.class, "metrics-app");
    Pod pod =
        new PodBuilder()
            .withMetadata(d.getSpec().getTemplate().getMetadata())
            .editMetadata()
            .withNamespace(d.getMetadata().getNamespace())
            .withName("metrics-app-abc")
            .endMetadata()
            .withSpec(d.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase("Running")
            .withPodIP("10.9.8.7")
            .endStatus()
            .build();

    PodTargets.Result r = new PodTargets("kubernetes-pods", true).of(pod);

    assertThat(r).isInstanceOf(PodTargets.Target.class);
    var target = ((PodTargets.Target) r).target();
    assertThat(target.address()).isEqualTo("10.9.8.7:9100");
    assertThat(target.labels())
        .containsEntry("container", "exporter")
        .containsEntry("team", "platform");
  }
}
