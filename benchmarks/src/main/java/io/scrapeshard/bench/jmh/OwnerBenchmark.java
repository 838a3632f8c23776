package io.scrapeshard.bench.jmh;

import io.scrapeshard.hashing.Member;
import io.scrapeshard.hashing.Rendezvous;
import io.scrapeshard.hashing.TargetKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One owner lookup, cycling through the keys so that caches do not flatter it: {@code owner} on a
 * prebuilt {@link Rendezvous} against the per-pair {@code murmur3_128} baseline.
 *
 * <p>{@code java -jar benchmarks/target/scrape-shard-bench.jar jmh OwnerBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class OwnerBenchmark {

  @Param({"100000x100", "1000000x1000"})
  public String shape;

  private Workload workload;
  private Rendezvous hrw;
  private int next;

  @Setup
  public void setUp() {
    workload = new Workload(shape);
    hrw = Rendezvous.of(workload.members);
  }

  private TargetKey nextKey() {
    TargetKey key = workload.keys.get(next);
    next = next + 1 == workload.keys.size() ? 0 : next + 1;
    return key;
  }

  @Benchmark
  public Member owner() {
    return hrw.owner(nextKey());
  }

  @Benchmark
  public int perPairBaseline() {
    return PerPairBaseline.owner(nextKey(), workload.members);
  }
}
