package io.scrapeshard.bench.strategy;

import com.google.common.hash.Hashing;
import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jump consistent hash (Guava {@code consistentHash}) over member ordinals. Minimal movement when
 * the highest ordinal goes or a new one comes; a member gone from the middle renumbers the rest.
 */
final class JumpStrategy implements Strategy {

  @Override
  public String name() {
    return "jump";
  }

  @Override
  public int[] assign(List<Pod> pods, List<TargetKey> keys, List<Member> scrapers) {
    int[] owners = new int[keys.size()];
    for (int i = 0; i < owners.length; i++) {
      long h =
          Hashing.farmHashFingerprint64()
              .hashString(keys.get(i).value(), StandardCharsets.UTF_8)
              .asLong();
      owners[i] = Hashing.consistentHash(h, scrapers.size());
    }
    return owners;
  }
}
