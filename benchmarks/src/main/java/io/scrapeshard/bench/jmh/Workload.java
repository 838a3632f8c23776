package io.scrapeshard.bench.jmh;

import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and members of the micro-benchmarks: {@code "<keys>x<members>"}, such as {@code 100000x100}.
 */
final class Workload {

  final List<TargetKey> keys;
  final List<Member> members;

  Workload(String shape) {
    String[] parts = shape.split("x");
    int keyCount = Integer.parseInt(parts[0]);
    int memberCount = Integer.parseInt(parts[1]);
    keys = new ArrayList<>(keyCount);
    for (int i = 0; i < keyCount; i++) {
      keys.add(TargetKey.ofPod("namespace-" + (i % 50), "pod-" + i, 8080, "/metrics"));
    }
    members = new ArrayList<>(memberCount);
    for (int i = 0; i < memberCount; i++) {
      members.add(Member.of("scrape-shard-" + i));
    }
  }
}
