package io.scrapeshard.worker.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An API server that refuses to list pods: one clear error, no targets, not synced, no crash. */
class ForbiddenDiscoveryIT {

  @Test
  void a403NamesTheMissingPermission() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/shop/pods?resourceVersion=0")
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withMessage(
                    "pods is forbidden: User \"system:serviceaccount:x:y\" cannot list resource \"pods\"")
                .build())
        .always();
    try (KubernetesClient client = server.createClient();
        KubernetesTargetSource source =
            KubernetesTargetSource.builder(client).namespaces(List.of("shop")).build()) {
      source.start();

      await().atMost(Duration.ofSeconds(10)).until(() -> source.lastError().isPresent());
      assertThat(source.lastError().get())
          .isEqualTo(
              "forbidden: the service account needs get, list and watch on pods in namespace shop");
      assertThat(source.snapshot().synced()).isFalse();
      assertThat(source.snapshot().targets()).isEmpty();
    } finally {
      server.destroy();
    }
  }
}
