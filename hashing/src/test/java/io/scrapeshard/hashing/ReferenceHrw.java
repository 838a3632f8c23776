package io.scrapeshard.hashing;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The algorithm exactly as DESIGN.md and the {@link Rendezvous} Javadoc state it, written
 * straightforwardly (every member scored, then sorted) as an oracle for the optimised code.
 */
final class ReferenceHrw {

  private ReferenceHrw() {}

  record Scored(Member member, double score, long bits) {}

  static List<Member> ranking(String key, List<Member> members) {
    long keyHash = farm(key);
    List<Scored> scored = new ArrayList<>();
    for (Member m : members) {
      long mixed = splitMix64Finalizer(keyHash ^ farm(m.id()));
      long bits = mixed >>> 12;
      double u = (double) ((bits << 1) | 1) / 9007199254740992.0; // 2^53
      scored.add(new Scored(m, -m.weight() / StrictMath.log(u), bits));
    }
    scored.sort(
        Comparator.comparingDouble(Scored::score)
            .reversed()
            .thenComparing(Comparator.comparingLong(Scored::bits).reversed())
            .thenComparing(s -> s.member().id()));
    return scored.stream().map(Scored::member).toList();
  }

  static Member owner(String key, List<Member> members) {
    return ranking(key, members).get(0);
  }

  private static long farm(String s) {
    return Hashing.farmHashFingerprint64().hashBytes(s.getBytes(StandardCharsets.UTF_8)).asLong();
  }

  private static long splitMix64Finalizer(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
