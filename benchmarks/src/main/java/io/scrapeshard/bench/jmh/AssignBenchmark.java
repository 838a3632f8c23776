package io.scrapeshard.bench.jmh;

import io.scrapeshard.hashing.Assignment;
import io.scrapeshard.hashing.Rendezvous;
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
 * Full assignment of every key, on one thread: scrape-shard's {@code assign} (member hashes
 * computed once, one finalizer per pair) against the per-pair {@code murmur3_128} baseline.
 *
 * <p>{@code java -jar benchmarks/target/scrape-shard-bench.jar jmh AssignBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AssignBenchmark {

  @Param({"100000x100", "1000000x1000"})
  public String shape;

  private Workload workload;
  private Rendezvous hrw;

  @Setup
  public void setUp() {
    workload = new Workload(shape);
    hrw = Rendezvous.of(workload.members);
  }

  @Benchmark
  public Assignment assign() {
    return hrw.assign(workload.keys);
  }

  @Benchmark
  public Assignment assignIncludingMemberHashing() {
    return Rendezvous.of(workload.members).assign(workload.keys);
  }

  @Benchmark
  public Assignment assignBounded() {
    return hrw.assignBounded(workload.keys, 1.1);
  }

  @Benchmark
  public int[] perPairBaseline() {
    return PerPairBaseline.assign(workload.keys, workload.members);
  }
}
