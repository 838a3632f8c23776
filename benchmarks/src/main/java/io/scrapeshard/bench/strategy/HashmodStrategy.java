package io.scrapeshard.bench.strategy;

import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Prometheus' {@code hashmod} relabel action as the Prometheus Operator uses it for sharding: the
 * last 8 bytes of the MD5 of the key, big-endian, modulo the number of shards; shard {@code i} is
 * the member of ordinal {@code i}. When a member is gone, the live members are renumbered.
 */
final class HashmodStrategy implements Strategy {

  @Override
  public String name() {
    return "hashmod";
  }

  @Override
  public int[] assign(List<Pod> pods, List<TargetKey> keys, List<Member> scrapers) {
    MessageDigest md5 = md5();
    int[] owners = new int[keys.size()];
    for (int i = 0; i < owners.length; i++) {
      owners[i] = shard(md5, keys.get(i).value(), scrapers.size());
    }
    return owners;
  }

  static int shard(MessageDigest md5, String key, int shards) {
    byte[] digest = md5.digest(key.getBytes(StandardCharsets.UTF_8));
    long sum = 0;
    for (int i = 8; i < 16; i++) {
      sum = (sum << 8) | (digest[i] & 0xff);
    }
    return (int) Long.remainderUnsigned(sum, shards);
  }

  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM must provide MD5", e);
    }
  }
}
