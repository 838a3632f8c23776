package io.scrapeshard.hashing;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * The primitives of {@value Rendezvous#ALGORITHM}. Every constant here is part of the algorithm:
 * changing one changes every owner, which needs a new algorithm name and new golden vectors.
 */
final class Hashes {

  // A fingerprint, not goodFastHash: it is specified to be stable across JVMs and releases.
  private static final HashFunction FINGERPRINT = Hashing.farmHashFingerprint64();

  private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

  private Hashes() {}

  /** The 64-bit fingerprint of the UTF-8 bytes of {@code s}. */
  static long fingerprint(String s) {
    return FINGERPRINT.hashString(s, StandardCharsets.UTF_8).asLong();
  }

  /**
   * The 52 bits that stand for the pair's uniform variate. A plain XOR of the two hashes would keep
   * their structure (members whose hashes share high bits would share wins), so the XOR goes
   * through the SplitMix64 finalizer, a bijection with full avalanche.
   */
  static long pairBits(long keyHash, long memberHash) {
    long z = keyHash ^ memberHash;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    z = z ^ (z >>> 31);
    return z >>> 12;
  }

  /**
   * Maps 52 bits to a double strictly inside (0, 1): {@code (2 bits + 1) / 2^53}, exact because
   * {@code 2 bits + 1 < 2^53}.
   */
  static double unit(long bits) {
    return (2 * bits + 1) * TWO_TO_MINUS_53;
  }

  /**
   * The weighted rendezvous score {@code -w / ln(u)}: for a fixed key, the member with the highest
   * score wins with probability proportional to its weight. StrictMath makes the logarithm the same
   * on every JVM and CPU.
   */
  static double score(double weight, long bits) {
    return -weight / StrictMath.log(unit(bits));
  }
}
