package io.sluice.bench.durable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.durable.CallOutcome;
import io.sluice.cluster.durable.Journal;
import io.sluice.cluster.durable.RedisJournal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of durability per step ({@code durability: redis}): the latency of one journal write as
 * a worker makes it on a step's path, against the Redis of {@code SLUICE_REDIS_URI} (system
 * property or environment): {@code called} (a call's outcome, first writer wins, by EVALSHA) and
 * {@code accepted} (one accepted edge event, HSETNX), each awaited before the next, beside a bare
 * PING round trip on a connection of its own ({@code ping}, the floor) and {@link Journal#NONE}
 * ({@code calledNone}, what {@code durability: none} costs). Sample mode gives the mean and the
 * percentiles. Setup prints Redis's persistence settings ({@code appendonly}, {@code appendfsync}),
 * which decide what the figures promise. Keys go under a prefix of this run and are deleted after.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final WorkflowKey WF = new WorkflowKey("bench", "1");

  /** Calls and edges per instance hash before the next instance (keeps hashes small). */
  private static final int PER_INSTANCE = 1024;

  private URI uri;
  private String prefix;
  private RedisJournal journal;
  private RedisClient client;
  private StatefulRedisConnection<String, String> direct;
  private JsonNode output;
  private long n;
  private String instance;

  @Setup(Level.Trial)
  public void open() throws Exception {
    String text = System.getProperty("SLUICE_REDIS_URI", System.getenv("SLUICE_REDIS_URI"));
    if (text == null || text.isBlank()) {
      throw new IllegalStateException(
          "JournalBenchmark needs Redis: set SLUICE_REDIS_URI=redis://HOST:PORT"
              + " (scripts/services.sh start DIR prints it)");
    }
    uri = URI.create(text.trim());
    prefix = "sluice-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":j:";
    journal = RedisJournal.open(uri, Duration.ofSeconds(30), Duration.ofMinutes(5), prefix);
    client = RedisClient.create(uri.toString());
    direct = client.connect();
    System.out.println("\nJournalBenchmark: " + RedisSettings.describe(uri));
    // a typical small function output (~100 bytes of JSON)
    output =
        JSON.readTree(
            "{\"status\":\"ok\",\"items\":[1,2,3,4,5],\"key\":\"genome/chr1/part-0007\"}");
    instance = "i-0";
  }

  @TearDown(Level.Trial)
  public void close() {
    List<String> keys = new ArrayList<>();
    ScanIterator.scan(direct.sync(), ScanArgs.Builder.matches(prefix + "*").limit(1000))
        .forEachRemaining(keys::add);
    if (!keys.isEmpty()) {
      direct.sync().del(keys.toArray(String[]::new));
    }
    direct.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    journal.close();
  }

  private String next() {
    if (++n % PER_INSTANCE == 0) {
      instance = "i-" + n;
    }
    return instance;
  }

  @Benchmark
  public CallOutcome called() {
    String id = next();
    return journal
        .called(id, "n" + n + "#0", CallOutcome.completed(output))
        .toCompletableFuture()
        .join();
  }

  @Benchmark
  public Void accepted() {
    String id = next();
    EdgeEvent e = new EdgeEvent(id + "/" + n, id, WF, (int) n, "a", "b", output, 1000, 10);
    return journal.accepted(List.of(e)).toCompletableFuture().join();
  }

  @Benchmark
  public CallOutcome calledNone() {
    return Journal.NONE
        .called(next(), "k", CallOutcome.completed(output))
        .toCompletableFuture()
        .join();
  }

  @Benchmark
  public String ping() {
    return direct.async().ping().toCompletableFuture().join();
  }
}
