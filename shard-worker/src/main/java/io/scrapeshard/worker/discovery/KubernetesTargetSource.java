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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
public final class KubernetesTargetSource extends PublishingTargetSource {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesTargetSource.class);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final Set<String> excluded;
  private final String labelSelector;
  private final PodTargets pods; // validates job
  private final Clock clock;
  private final List<SharedIndexInformer<Pod>> informers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean forbiddenLogged = new AtomicBoolean();
  private final Duration relistEvery;
  private final Duration relistTimeout = Duration.ofSeconds(30);
  private final ScheduledExecutorService monitor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pod-discovery-monitor");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean outage;
  private volatile String lastError;

  private KubernetesTargetSource(Builder b) {
    super("kubernetes");
    this.client = b.client;
    this.namespaces = List.copyOf(b.namespaces);
    this.excluded = Set.copyOf(b.excluded);
    this.labelSelector = b.labelSelector;
    this.pods = new PodTargets(b.job, b.podLabels);
    this.clock = b.clock;
    this.relistEvery = b.relistEvery;
  }

  /** A builder over {@code client}; defaults: all namespaces, none excluded, no selector. */
  public static Builder builder(KubernetesClient client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  /** Options of a {@link KubernetesTargetSource}, with documented defaults. */
  public static final class Builder {
    private final KubernetesClient client;
    private List<String> namespaces = List.of();
    private Set<String> excluded = Set.of();
    private String labelSelector;
    private String job = "kubernetes-pods";
    private boolean podLabels = true;
    private Duration relistEvery = Duration.ofMinutes(30);
    private Clock clock = Clock.systemUTC();

    private Builder(KubernetesClient client) {
      this.client = client;
    }

    /** The namespaces to watch, one informer each; empty (the default) for all namespaces. */
    public Builder namespaces(List<String> value) {
      this.namespaces = value;
      return this;
    }

    /** Namespaces whose pods are ignored; default none. */
    public Builder excludedNamespaces(Set<String> value) {
      this.excluded = value;
      return this;
    }

    /** A Kubernetes label selector such as {@code team=x}; default none. */
    public Builder labelSelector(String value) {
      this.labelSelector = value;
      return this;
    }

    /** The {@code job} label; default {@code kubernetes-pods}. */
    public Builder job(String value) {
      this.job = value;
      return this;
    }

    /** Whether pod labels are copied onto targets; default true. */
    public Builder podLabels(boolean value) {
      this.podLabels = value;
      return this;
    }

    /** How often the pods are listed afresh as a safety net; default 30 minutes. */
    public Builder relistEvery(Duration value) {
      this.relistEvery = value;
      return this;
    }

    /** The clock of rate-limited warnings; default the system clock. */
    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /**
     * Validates and builds (does not connect).
     *
     * @throws IllegalArgumentException naming the bad option and value
     */
    public KubernetesTargetSource build() {
      Objects.requireNonNull(namespaces, "namespaces");
      Objects.requireNonNull(excluded, "excludedNamespaces");
      Objects.requireNonNull(clock, "clock");
      if (relistEvery == null || relistEvery.compareTo(Duration.ofSeconds(10)) < 0) {
        throw new IllegalArgumentException("relistEvery must be at least 10s, got " + relistEvery);
      }
      for (String ns : namespaces) {
        if (ns == null || ns.isBlank() || ns.contains("/")) {
          throw new IllegalArgumentException("namespaces: invalid namespace '" + ns + "'");
        }
      }
      return new KubernetesTargetSource(this);
    }
  }

  @Override
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("kubernetes target source already started");
    }
    inform()
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
    monitor.scheduleWithFixedDelay(this::checkWatches, 1, 1, TimeUnit.SECONDS);
    monitor.scheduleWithFixedDelay(
        () -> relist("periodic relist"),
        relistEvery.toMillis(),
        relistEvery.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Starts one informer per scope; completes when all have listed once. */
  private CompletableFuture<Void> inform() {
    List<String> scopes =
        namespaces.isEmpty() ? java.util.Collections.singletonList(null) : namespaces;
    List<CompletableFuture<Void>> syncs = new ArrayList<>();
    for (String ns : scopes) {
      SharedIndexInformer<Pod> informer = select(ns).runnableInformer(0);
      informer.addEventHandler(new Handler());
      informer.exceptionHandler((isStarted, t) -> retry(ns, t));
      informers.add(informer);
      syncs.add(informer.start().toCompletableFuture());
    }
    return CompletableFuture.allOf(syncs.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * A watch that comes back after an outage resumes from its last resource version; a server that
   * lost or compacted history would answer 410 and force a list, but not every server does (nor
   * does the fabric8 mock). So after an outage, and periodically, the pods are listed afresh.
   */
  private void checkWatches() {
    boolean watching = informers.stream().allMatch(SharedIndexInformer::isWatching);
    if (!watching) {
      if (!outage) {
        LOG.warn(
            "pod discovery lost its watch; keeping the last {} targets",
            publisher.snapshot().targets().size());
      }
      outage = true;
    } else if (outage) {
      outage = false;
      relist("watch re-established after an outage");
    }
  }

  private synchronized void relist(String why) {
    List<SharedIndexInformer<Pod>> old = List.copyOf(informers);
    informers.clear();
    old.forEach(SharedIndexInformer::stop);
    try {
      inform().get(relistTimeout.toMillis(), TimeUnit.MILLISECONDS);
      Set<String> present = new java.util.HashSet<>();
      informers.forEach(i -> i.getStore().list().forEach(p -> present.add(owner(p))));
      publisher.retainOwners(present);
      LOG.info("pod discovery relisted ({}): {} pods", why, present.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      outage = true; // try again when the watches are back
      LOG.warn("pod discovery relist ({}) failed: {}; keeping the last targets", why, e.toString());
    }
  }

  private FilterWatchListDeletable<Pod, PodList, PodResource> select(String ns) {
    var scoped = ns == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns);
    return labelSelector == null || labelSelector.isBlank()
        ? scoped
        : scoped.withLabelSelector(labelSelector);
  }

  private boolean retry(String ns, Throwable t) {
    String scope = ns == null ? "cluster-wide (ClusterRole)" : "in namespace " + ns;
    KubernetesClientException k = apiError(t);
    if (k != null && k.getCode() == 403) {
      lastError = "forbidden: the service account needs get, list and watch on pods " + scope;
      if (forbiddenLogged.compareAndSet(false, true)) {
        LOG.error("pod discovery {} ({}); retrying", lastError, k.getMessage());
      }
    } else {
      lastError = t.toString();
      LOG.warn("pod discovery {}: {}; retrying with backoff", scope, t.toString());
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

  /** The API server's answer inside {@code t} (informers wrap it), or null. */
  private static KubernetesClientException apiError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof KubernetesClientException k) {
        return k;
      }
    }
    return null;
  }

  /** The last error from the API server, if any: for readiness details and operators. */
  public java.util.Optional<String> lastError() {
    return java.util.Optional.ofNullable(lastError);
  }

  @Override
  public void close() {
    monitor.shutdownNow();
    informers.forEach(SharedIndexInformer::stop);
    publisher.close();
  }
}
