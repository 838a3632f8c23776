package io.scrapeshard.worker.discovery;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrape targets from annotated pods (see {@link PodTargets}), through fabric8 informers: one on
 * all namespaces, or one per configured namespace; an optional label selector; excluded namespaces
 * filtered out.
 *
 * <p>The informers retry forever with backoff and keep their store, so an API-server outage keeps
 * the last snapshot and a reconnect resyncs it. The snapshot reports {@code synced} once every
 * informer has finished its first list. A 403 is logged once, naming the missing permission.
 */
public final class KubernetesTargetSource implements TargetSource {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesTargetSource.class);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final Set<String> excluded;
  private final String labelSelector;
  private final PodTargets pods;
  private final Clock clock;
  private final SnapshotPublisher publisher = new SnapshotPublisher("kubernetes");
  private final List<SharedIndexInformer<Pod>> informers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean forbiddenLogged = new AtomicBoolean();

  /**
   * @param namespaces the namespaces to watch; empty for all
   * @param excluded namespaces whose pods are ignored
   * @param labelSelector a Kubernetes label selector, or null
   */
  public KubernetesTargetSource(
      KubernetesClient client,
      List<String> namespaces,
      Set<String> excluded,
      String labelSelector,
      PodTargets pods,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespaces = List.copyOf(namespaces);
    this.excluded = Set.copyOf(excluded);
    this.labelSelector = labelSelector;
    this.pods = Objects.requireNonNull(pods, "pods");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("kubernetes target source already started");
    }
    List<String> scopes =
        namespaces.isEmpty() ? java.util.Collections.singletonList(null) : namespaces;
    List<java.util.concurrent.CompletableFuture<Void>> syncs = new ArrayList<>();
    for (String ns : scopes) {
      SharedIndexInformer<Pod> informer = select(ns).runnableInformer(0);
      informer.addEventHandler(new Handler());
      informer.exceptionHandler((isStarted, t) -> retry(ns, t));
      informers.add(informer);
      syncs.add(informer.start().toCompletableFuture());
    }
    java.util.concurrent.CompletableFuture.allOf(
            syncs.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                LOG.info(
                    "pod discovery synced: {} targets in {}",
                    publisher.snapshot().targets().size(),
                    namespaces.isEmpty() ? "all namespaces" : namespaces);
                publisher.synced();
              }
            });
  }

  private FilterWatchListDeletable<Pod, PodList, PodResource> select(String ns) {
    var scoped = ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns);
    return labelSelector == null || labelSelector.isBlank()
        ? scoped
        : scoped.withLabelSelector(labelSelector);
  }

  private boolean retry(String ns, Throwable t) {
    if (t instanceof KubernetesClientException k && k.getCode() == 403) {
      if (forbiddenLogged.compareAndSet(false, true)) {
        LOG.error(
            "pod discovery forbidden: the service account needs get, list and watch on pods {} ({}); retrying",
            ns == null ? "cluster-wide (ClusterRole)" : "in namespace " + ns,
            k.getMessage());
      }
    } else {
      LOG.warn(
          "pod discovery {}: {}; retrying with backoff",
          ns == null ? "(all namespaces)" : ns,
          t.toString());
    }
    return true; // never give up: the last snapshot stays meanwhile
  }

  private final class Handler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      apply(pod);
    }

    @Override
    public void onUpdate(Pod before, Pod after) {
      apply(after);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      publisher.remove(owner(pod));
    }
  }

  private void apply(Pod pod) {
    String owner = owner(pod);
    if (excluded.contains(pod.getMetadata().getNamespace())) {
      publisher.remove(owner);
      return;
    }
    PodTargets.Result result = pods.of(pod);
    if (result instanceof PodTargets.Target t) {
      publisher.put(owner, t.target());
    } else {
      publisher.remove(owner);
      if (result instanceof PodTargets.Invalid i) {
        publisher.invalid(owner, i.reason(), i.message(), clock.millis());
      }
    }
  }

  private static String owner(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  @Override
  public Snapshot snapshot() {
    return publisher.snapshot();
  }

  @Override
  public void addListener(Consumer<Snapshot> listener) {
    publisher.addListener(listener);
  }

  @Override
  public Map<InvalidTargetReason, Long> invalidCounts() {
    return publisher.invalidCounts();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
    publisher.close();
  }
}
