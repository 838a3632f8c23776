package io.scrapeshard.bench.strategy;

import io.scrapeshard.bench.simulate.Pod;
import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.TargetKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The OpenTelemetry Target Allocator's {@code consistent-hashing} strategy, re-implemented from its
 * description: a ring with 5 points per member (the id followed by the point number); 1061
 * partitions, each hashed onto the ring and given to the first member clockwise whose partition
 * count is below {@code ceil(floor(1061 / N) × 1.1)}; a key belongs to the owner of partition
 * {@code hash(key) mod 1061}. The allocator hashes with xxHash; this uses FarmHash, which changes
 * which key goes where but not the structure.
 */
final class TaRingStrategy implements Strategy {

  static final int PARTITIONS = 1061;
  static final int REPLICATION = 5;
  static final double LOAD = 1.1;

  @Override
  public String name() {
    return "ta-ring";
  }

  @Override
  public int[] assign(List<Pod> pods, List<TargetKey> keys, List<Member> scrapers) {
    int[] partitionOwner = partitionOwners(scrapers);
    int[] owners = new int[keys.size()];
    for (int i = 0; i < owners.length; i++) {
      long h = HashRing.hash(keys.get(i).value());
      owners[i] = partitionOwner[(int) Long.remainderUnsigned(h, PARTITIONS)];
    }
    return owners;
  }

  static int[] partitionOwners(List<Member> scrapers) {
    HashRing ring = new HashRing(scrapers, REPLICATION, "");
    double maxLoad = Math.ceil((PARTITIONS / scrapers.size()) * LOAD);
    int[] load = new int[scrapers.size()];
    int[] owner = new int[PARTITIONS];
    ByteBuffer partitionBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (int p = 0; p < PARTITIONS; p++) {
      partitionBytes.putLong(0, p);
      int point = ring.successor(hashBytes(partitionBytes.array()));
      for (int tries = 0; ; tries++) {
        if (tries >= ring.size()) {
          throw new IllegalStateException(
              "no room for partition " + p + " on " + scrapers.size() + " members");
        }
        int m = ring.memberAt(point);
        if (load[m] + 1 <= maxLoad) {
          load[m]++;
          owner[p] = m;
          break;
        }
        point = (point + 1) % ring.size();
      }
    }
    return owner;
  }

  private static long hashBytes(byte[] bytes) {
    return com.google.common.hash.Hashing.farmHashFingerprint64().hashBytes(bytes).asLong();
  }
}
