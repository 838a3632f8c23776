package io.scrapeshard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random sequences of joins, leaves, crashes and weight changes against the planner's rules. */
class EpochPlannerPropertyTest {

  static final long DELAY = 5_000;
  static final long GRACE = 1_000;

  static java.util.stream.LongStream seeds() {
    return java.util.stream.LongStream.rangeClosed(1, 60);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void activationNeverGoesBackAndZeroNoticeOnlyRemoves(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    EpochPlanner planner = new EpochPlanner(DELAY, GRACE, 30_000, seed % 2 == 0 ? 0 : 250);
    Map<String, MemberObservation> nodes = new TreeMap<>();
    Map<String, Long> absentSince = new HashMap<>();
    EpochList published = EpochList.empty();
    List<TargetKey> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add(TargetKey.of("ns/pod-" + seed + "-" + i + ":80"));
    }
    long now = 1_000_000;
    int nextId = 0;
    for (int step = 0; step < 300; step++) {
      now += random.nextInt(3_000);
      nextId = mutate(random, nodes, nextId);
      track(published, nodes, absentSince, now);

      var plan = planner.plan(published, nodes, absentSince, now);

      if (plan.publish().isPresent()) {
        EpochList next = plan.publish().get();
        check(published, next, nodes, keys, now);
        published = next;
        assertThat(planner.plan(published, nodes, absentSince, now).publish())
            .as("a second plan at the same instant publishes nothing")
            .isEmpty();
      }
    }
    assertThat(published.epochs()).isNotEmpty();
  }

  private static int mutate(
      SplittableRandom random, Map<String, MemberObservation> nodes, int nextId) {
    List<String> ids = new ArrayList<>(nodes.keySet());
    int event = random.nextInt(11);
    if (event < 3 || ids.isEmpty()) {
      String id = "m-" + nextId++;
      nodes.put(id, node(id, 1 + random.nextInt(3), false, "i-" + random.nextInt(1_000_000)));
    } else {
      String id = ids.get(random.nextInt(ids.size()));
      MemberObservation was = nodes.get(id);
      switch (event) {
        case 3, 4 ->
            nodes.put(id, new MemberObservation(id, was.weight(), true, was.incarnation()));
        case 5, 6 -> nodes.remove(id); // crash, or a leaver deleting its node
        case 7 -> nodes.put(id, node(id, 1 + random.nextInt(3), false, was.incarnation()));
        case 8 -> nodes.put(id, new MemberObservation(id, OptionalDouble.empty(), false, null));
        case 9 -> nodes.put(id, node(id, 1, false, "i-" + random.nextInt(1_000_000))); // restart
        default -> {} // nothing happens, time passes
      }
    }
    return nextId;
  }

  private static MemberObservation node(String id, double weight, boolean leaving, String inc) {
    return new MemberObservation(id, OptionalDouble.of(weight), leaving, inc);
  }

  private static void track(
      EpochList list,
      Map<String, MemberObservation> nodes,
      Map<String, Long> absentSince,
      long now) {
    Set<String> live = new HashSet<>();
    list.activeAt(now).ifPresent(e -> e.members().forEach(m -> live.add(m.id())));
    list.pendingAt(now).forEach(e -> e.members().forEach(m -> live.add(m.id())));
    absentSince.keySet().removeIf(id -> nodes.containsKey(id) || !live.contains(id));
    for (String id : live) {
      if (!nodes.containsKey(id)) {
        absentSince.putIfAbsent(id, now);
      }
    }
  }

  private static void check(
      EpochList before,
      EpochList after,
      Map<String, MemberObservation> nodes,
      List<TargetKey> keys,
      long now) {
    long newestBefore = before.newest().map(Epoch::activateAtMillis).orElse(0L);
    assertThat(after.newest().orElseThrow().activateAtMillis())
        .isGreaterThanOrEqualTo(newestBefore);
    long oldNewestNumber = before.newest().map(Epoch::number).orElse(0L);
    List<Epoch> epochs = after.epochs();
    for (int i = 0; i < epochs.size(); i++) {
      Epoch e = epochs.get(i);
      if (e.number() > oldNewestNumber && e.activateAtMillis() < now + DELAY && i > 0) {
        Epoch previous = before.activeAt(e.activateAtMillis()).orElseThrow();
        assertThat(previous.members())
            .as("zero-notice epoch %s only removes", e)
            .containsAll(e.members());
      }
    }
    for (Epoch pending : before.pendingAt(now)) {
      Optional<Epoch> same =
          epochs.stream()
              .filter(e -> e.activateAtMillis() == pending.activateAtMillis())
              .reduce((a, b) -> b);
      assertThat(same).as("pending %s keeps its activation", pending).isPresent();
      assertThat(pending.members()).containsAll(same.get().members());
    }
    for (long t = now; t < now + DELAY; t += 250) {
      for (TargetKey key : keys) {
        Optional<Member> was = before.ownerOf(key, t);
        Optional<Member> is = after.ownerOf(key, t);
        if (was.isPresent() && !was.equals(is)) {
          assertThat(nodes)
              .as("at %d, %s moved from %s to %s inside the notice period", t, key, was, is)
              .doesNotContainKey(was.get().id());
        }
      }
    }
  }
}
