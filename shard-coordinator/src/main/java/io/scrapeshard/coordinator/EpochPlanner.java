package io.scrapeshard.coordinator;

import io.scrapeshard.hashing.Member;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's decision, as a pure function of the published list, the member nodes it sees and the
 * time (DESIGN.md rules 3-5):
 *
 * <ul>
 *   <li>a member of the active or a pending epoch counts as gone only after {@code
 *       absenceGraceMillis} of confirmed absence; a gone member is removed at once (zero notice)
 *       from the active epoch and from every pending one, which keep their activation times;
 *   <li>any other change (a join, a leave, a new weight) becomes one epoch that activates {@code
 *       handoffDelayMillis} from now, and not before the newest one; while an epoch is pending no
 *       other such epoch is planned: changes fold into the next one;
 *   <li>the list keeps the newest epoch that has been active for {@code keepMillis} and every later
 *       one.
 * </ul>
 *
 * <p>Removing a gone member from a pending epoch means republishing it under a new number (the
 * numbers must grow with activation time); its activation time and the moves among live members
 * stay, so the joiner's notice is kept.
 */
final class EpochPlanner {

  /** The planner's answer: the list to publish, if any, and when to look again. */
  record Plan(Optional<EpochList> publish, long recheckAtMillis, String reason) {}

  private final long handoffDelayMillis;
  private final long absenceGraceMillis;
  private final long keepMillis;
  private final long removalNoticeMillis;

  EpochPlanner(long handoffDelayMillis, long absenceGraceMillis, long keepMillis) {
    this(handoffDelayMillis, absenceGraceMillis, keepMillis, 0);
  }

  /**
   * @param removalNoticeMillis how long after now the removal of a gone member takes effect: long
   *     enough for every survivor (and a cut-off member asking its peers) to learn it first
   */
  EpochPlanner(
      long handoffDelayMillis, long absenceGraceMillis, long keepMillis, long removalNoticeMillis) {
    this.removalNoticeMillis = removalNoticeMillis;
    this.handoffDelayMillis = handoffDelayMillis;
    this.absenceGraceMillis = absenceGraceMillis;
    this.keepMillis = keepMillis;
  }

  /**
   * @param present member nodes by id
   * @param absentSince for members of the active or a pending epoch without a node: since when the
   *     caller has seen them absent (a missing entry means "from now")
   */
  Plan plan(
      EpochList current,
      Map<String, MemberObservation> present,
      Map<String, Long> absentSince,
      long now) {
    long recheck = Long.MAX_VALUE;
    Set<String> vanished = new LinkedHashSet<>();
    for (String id : liveIds(current, now + removalNoticeMillis)) {
      if (!present.containsKey(id)) {
        long since = absentSince.getOrDefault(id, now);
        if (now - since >= absenceGraceMillis) {
          vanished.add(id);
        } else {
          recheck = Math.min(recheck, since + absenceGraceMillis);
        }
      }
    }
    EpochList list = current;
    List<String> reasons = new ArrayList<>();
    if (!vanished.isEmpty()) {
      list = withoutVanished(current, vanished, now, removalNoticeMillis);
      reasons.add("gone " + vanished);
    }
    Map<String, String> incarnations = new TreeMap<>();
    Map<String, Member> desired = desired(list, present, vanished, incarnations);
    Optional<Epoch> newest = list.newest();
    List<Member> wanted = List.copyOf(desired.values());
    boolean changed =
        newest
            .map(e -> !e.members().equals(wanted) || !e.incarnations().equals(incarnations))
            .orElse(!wanted.isEmpty());
    if (changed) {
      if (newest.isPresent() && newest.get().activateAtMillis() > now) {
        recheck = Math.min(recheck, newest.get().activateAtMillis());
      } else {
        long number = newest.map(Epoch::number).orElse(0L) + 1;
        long at =
            Math.max(now + handoffDelayMillis, newest.map(Epoch::activateAtMillis).orElse(0L));
        List<Epoch> epochs = new ArrayList<>(list.epochs());
        epochs.add(new Epoch(number, wanted, incarnations, at));
        list = EpochList.of(epochs, now);
        reasons.add(describe(newest, wanted, incarnations));
      }
    }
    if (reasons.isEmpty()) {
      return new Plan(Optional.empty(), recheck, "no change");
    }
    return new Plan(Optional.of(trimmed(list, now)), recheck, String.join("; ", reasons));
  }

  /** Ids of the members of the epoch in force at {@code now} and of every epoch pending then. */
  private static Set<String> liveIds(EpochList list, long now) {
    Set<String> ids = new LinkedHashSet<>();
    list.activeAt(now).ifPresent(e -> e.members().forEach(m -> ids.add(m.id())));
    list.pendingAt(now).forEach(e -> e.members().forEach(m -> ids.add(m.id())));
    return ids;
  }

  /** The members wanted now; fills {@code incarnations} with the processes they run as. */
  private Map<String, Member> desired(
      EpochList list,
      Map<String, MemberObservation> present,
      Set<String> vanished,
      Map<String, String> incarnations) {
    Map<String, Member> base = new TreeMap<>();
    Map<String, String> baseIncarnations = new TreeMap<>();
    list.newest().ifPresent(e -> e.members().forEach(m -> base.put(m.id(), m)));
    list.newest().ifPresent(e -> baseIncarnations.putAll(e.incarnations()));
    Map<String, Member> desired = new TreeMap<>();
    for (Member m : base.values()) {
      MemberObservation seen = present.get(m.id());
      if (seen == null) {
        if (!vanished.contains(m.id())) {
          desired.put(m.id(), m); // absent, not yet confirmed gone
          copy(baseIncarnations, m.id(), incarnations);
        }
      } else if (!seen.leaving()) {
        desired.put(
            m.id(),
            seen.weight().isPresent() ? new Member(m.id(), seen.weight().getAsDouble()) : m);
        if (seen.incarnation() != null) {
          incarnations.put(m.id(), seen.incarnation());
        } else {
          copy(baseIncarnations, m.id(), incarnations);
        }
      }
    }
    for (MemberObservation seen : present.values()) {
      if (!base.containsKey(seen.id()) && !seen.leaving() && seen.weight().isPresent()) {
        desired.put(seen.id(), new Member(seen.id(), seen.weight().getAsDouble()));
        if (seen.incarnation() != null) {
          incarnations.put(seen.id(), seen.incarnation());
        }
      }
    }
    return desired;
  }

  private static void copy(Map<String, String> from, String id, Map<String, String> to) {
    if (from.containsKey(id)) {
      to.put(id, from.get(id));
    }
  }

  /**
   * Removes {@code vanished} from the epoch in force (at {@code now + notice}, if that comes before
   * every pending epoch) and from the pending ones, which keep their activation times and get new
   * numbers after the removal epoch.
   */
  static EpochList withoutVanished(EpochList list, Set<String> vanished, long now, long notice) {
    List<Epoch> out = new ArrayList<>();
    for (Epoch e : list.epochs()) {
      if (e.activateAtMillis() <= now) {
        out.add(e);
      }
    }
    long next = list.newest().map(Epoch::number).orElse(0L) + 1;
    Optional<Epoch> active = list.activeAt(now);
    if (active.isPresent() && vanished.stream().anyMatch(active.get()::contains)) {
      long at = now + notice;
      boolean beforeEveryPending =
          list.pendingAt(now).stream().allMatch(p -> p.activateAtMillis() > at);
      if (beforeEveryPending) { // otherwise the first pending epoch, rewritten below, comes first
        out.add(active.get().without(vanished, next++, at));
      }
    }
    for (Epoch pending : list.pendingAt(now)) {
      out.add(pending.without(vanished, next++, pending.activateAtMillis()));
    }
    return EpochList.of(out, now);
  }

  /** Keeps the newest epoch active for at least {@code keepMillis}, and everything after it. */
  private EpochList trimmed(EpochList list, long now) {
    List<Epoch> epochs = list.epochs();
    int first = 0;
    for (int i = 0; i < epochs.size(); i++) {
      if (epochs.get(i).activateAtMillis() + keepMillis <= now) {
        first = i;
      }
    }
    return first == 0
        ? list
        : EpochList.of(epochs.subList(first, epochs.size()), list.publishedAtMillis());
  }

  private static String describe(
      Optional<Epoch> before, List<Member> after, Map<String, String> incarnations) {
    Set<String> was = new LinkedHashSet<>();
    before.ifPresent(e -> e.members().forEach(m -> was.add(m.id())));
    Set<String> now = new LinkedHashSet<>();
    after.forEach(m -> now.add(m.id()));
    Set<String> added = new LinkedHashSet<>(now);
    added.removeAll(was);
    Set<String> removed = new LinkedHashSet<>(was);
    removed.removeAll(now);
    Set<String> restarted = new LinkedHashSet<>();
    before.ifPresent(
        e ->
            e.incarnations()
                .forEach(
                    (id, inc) -> {
                      if (incarnations.containsKey(id) && !incarnations.get(id).equals(inc)) {
                        restarted.add(id);
                      }
                    }));
    Set<String> reweighted = new LinkedHashSet<>();
    before.ifPresent(
        e ->
            e.members()
                .forEach(
                    m -> {
                      if (now.contains(m.id()) && !after.contains(m)) {
                        reweighted.add(m.id());
                      }
                    }));
    return "joined "
        + added
        + ", left "
        + removed
        + ", restarted "
        + restarted
        + ", reweighted "
        + reweighted;
  }
}
