package io.scrapeshard.bench.strategy;

import com.google.common.hash.Hashing;
import io.scrapeshard.hashing.Member;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Points on a 64-bit ring (unsigned order), each owned by a member index. */
final class HashRing {

  private final long[] points; // sorted unsigned, sign bit flipped so signed order works
  private final int[] owners;

  /**
   * @param separator between the member id and the point number in the hashed text
   */
  HashRing(List<Member> members, int pointsPerMember, String separator) {
    int n = members.size() * pointsPerMember;
    long[] raw = new long[n];
    int[] rawOwner = new int[n];
    int k = 0;
    for (int m = 0; m < members.size(); m++) {
      for (int v = 0; v < pointsPerMember; v++) {
        raw[k] = hash(members.get(m).id() + separator + v) ^ Long.MIN_VALUE;
        rawOwner[k++] = m;
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Ties (practically never) break on the member index, so the ring is deterministic.
    Arrays.sort(
        order,
        (a, b) -> raw[a] != raw[b] ? Long.compare(raw[a], raw[b]) : rawOwner[a] - rawOwner[b]);
    this.points = new long[n];
    this.owners = new int[n];
    for (int i = 0; i < n; i++) {
      points[i] = raw[order[i]];
      owners[i] = rawOwner[order[i]];
    }
  }

  static long hash(String s) {
    return Hashing.farmHashFingerprint64().hashString(s, StandardCharsets.UTF_8).asLong();
  }

  /** The index of the first point at or after {@code hash}, wrapping to 0. */
  int successor(long hash) {
    int i = Arrays.binarySearch(points, hash ^ Long.MIN_VALUE);
    if (i < 0) {
      i = -i - 1;
    } else {
      while (i > 0 && points[i - 1] == points[i]) {
        i--;
      }
    }
    return i == points.length ? 0 : i;
  }

  int size() {
    return points.length;
  }

  int memberAt(int point) {
    return owners[point];
  }
}
