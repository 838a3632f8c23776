package io.scrapeshard.coordinator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member nodes as the coordinator's one long-lived {@link CuratorCache} holds them. Decisions
 * read the whole cache, never single events. An unreadable node is logged with its path, counted,
 * and kept as "present but unknown".
 */
final class MemberDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(MemberDirectory.class);

  private final CuratorCache cache;
  private final Paths paths;
  private final Map<String, String> addresses = new ConcurrentHashMap<>();
  final AtomicLong unreadable = new AtomicLong();
  private volatile boolean loaded;

  MemberDirectory(CuratorCache cache, Paths paths) {
    this.cache = cache;
    this.paths = paths;
  }

  void loaded() {
    loaded = true;
  }

  boolean isLoaded() {
    return loaded;
  }

  /**
   * A member node arrived or changed: its record, or empty if it is unreadable (logged once here).
   */
  Optional<MemberRecord> changed(ChildData data) {
    MemberRecord r = parse(data);
    if (r == null) {
      unreadable.incrementAndGet();
      LOG.warn(
          "member node {} is unreadable; it counts as present but is never added", data.getPath());
      return Optional.empty();
    }
    addresses.put(r.id(), r.address());
    return Optional.of(r);
  }

  /** Where peer {@code id} was last reachable, or empty. */
  String addressOf(String id) {
    return addresses.getOrDefault(id, "");
  }

  /** The readable member nodes: id to record. */
  Map<String, MemberRecord> records() {
    Map<String, MemberRecord> out = new LinkedHashMap<>();
    memberNodes()
        .forEach(
            (id, d) -> {
              MemberRecord r = parse(d);
              if (r != null) {
                out.put(id, r);
              }
            });
    return out;
  }

  /** Every member node as the leader sees it; null until the cache has loaded. */
  Map<String, MemberObservation> observations() {
    if (!loaded) {
      return null;
    }
    Map<String, MemberObservation> out = new HashMap<>();
    memberNodes()
        .forEach(
            (id, d) -> {
              MemberRecord r = parse(d);
              out.put(
                  id,
                  r == null
                      ? MemberObservation.unparseable(id)
                      : new MemberObservation(
                          id,
                          OptionalDouble.of(r.weight()),
                          r.state() == MemberRecord.State.LEAVING,
                          r.incarnation()));
            });
    return out;
  }

  private Map<String, ChildData> memberNodes() {
    Map<String, ChildData> out = new LinkedHashMap<>();
    cache.stream()
        .forEach(
            d -> {
              String id = paths.memberIdOf(d.getPath());
              if (id != null) {
                out.put(id, d);
              }
            });
    return out;
  }

  private MemberRecord parse(ChildData d) {
    try {
      MemberRecord r = Json.member(d.getData());
      return r.id().equals(paths.memberIdOf(d.getPath())) ? r : null;
    } catch (CoordinatorException e) {
      LOG.debug("member node {}: {}", d.getPath(), e.getMessage());
      return null;
    }
  }
}
