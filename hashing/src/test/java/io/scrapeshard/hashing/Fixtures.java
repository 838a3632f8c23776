package io.scrapeshard.hashing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic keys and members for the tests. */
final class Fixtures {

  private Fixtures() {}

  static List<TargetKey> podKeys(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TargetKey> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String namespace = "ns-" + random.nextInt(40);
      keys.add(
          TargetKey.ofPod(
              namespace, "pod-" + seed + "-" + i, 8080 + random.nextInt(3), "/metrics"));
    }
    return keys;
  }

  static List<Member> members(int count) {
    List<Member> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      members.add(Member.of("scrape-shard-" + i));
    }
    return members;
  }

  static List<Member> weightedMembers(int count, SplittableRandom random) {
    double[] palette = {0.5, 1, 1, 2, 3, 0.75};
    List<Member> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double w =
          random.nextBoolean()
              ? palette[random.nextInt(palette.length)]
              : 0.1 + random.nextDouble() * 4;
      members.add(new Member("m-" + random.nextInt(1_000_000) + "-" + i, w));
    }
    return members;
  }

  static double maxOverMean(int[] counts) {
    long total = 0;
    int max = 0;
    for (int c : counts) {
      total += c;
      max = Math.max(max, c);
    }
    return max / ((double) total / counts.length);
  }
}
