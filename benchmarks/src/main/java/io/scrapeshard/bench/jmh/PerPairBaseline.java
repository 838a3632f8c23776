package io.scrapeshard.bench.jmh;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The textbook rendezvous hash the goals are measured against: one {@code murmur3_128} hash of key
 * and member per pair, highest wins (unweighted, so no logarithm either).
 */
final class PerPairBaseline {

  private static final HashFunction MURMUR = Hashing.murmur3_128();

  private PerPairBaseline() {}

  static int owner(TargetKey key, List<Member> members) {
    int best = 0;
    long bestHash = Long.MIN_VALUE;
    for (int i = 0; i < members.size(); i++) {
      long h =
          MURMUR
              .newHasher()
              .putString(key.value(), StandardCharsets.UTF_8)
              .putString(members.get(i).id(), StandardCharsets.UTF_8)
              .hash()
              .asLong();
      if (h > bestHash) {
        best = i;
        bestHash = h;
      }
    }
    return best;
  }

  static int[] assign(List<TargetKey> keys, List<Member> members) {
    int[] owners = new int[keys.size()];
    for (int i = 0; i < owners.length; i++) {
      owners[i] = owner(keys.get(i), members);
    }
    return owners;
  }
}
