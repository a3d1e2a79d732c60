package io.sluice.bench.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.http.FunctionsFramework;
import io.sluice.time.SystemScheduler;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls a trivial echo function on one runtime: the first call on a fresh runtime (cold: for docker
 * a container start and {@code /init}, for process a process start), then {@code concurrency} calls
 * side by side to warm as many containers (not measured), then {@code calls} calls with {@code
 * concurrency} in flight, each timed from invoke to completion.
 *
 * <p>The echo functions: java {@code sluice.identity} (in this JVM); process {@code cat} (a process
 * per call, JSON in on stdin, the same JSON out); docker a Python function returning its input in
 * {@code sluice/fn-python:local} ({@code bin/sluice image build}); http a JavaScript function
 * answering with the JSON it was sent ({@code echo.js}), served by Google's functions framework
 * ({@code $SLUICE_NODE_TOOLS}) that this benchmark starts on 127.0.0.1 and stops. Its cold call is
 * the first call on a fresh runtime (a new connection) to a framework that has not served a request
 * yet; the framework's own process start is not counted.
 */
public final class RuntimeBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The runtimes this benchmark knows an echo function for. */
  public static final List<String> RUNTIMES = List.of("docker", "process", "java", "http");

  /** One runtime's figures; latencies in milliseconds. */
  public record Row(
      String runtime,
      double coldStartMs,
      double warmCallMs,
      double warmCallP99Ms,
      double callsPerSec,
      int calls,
      int concurrency) {}

  static FunctionDef echo(String runtime, int concurrency) {
    return echo(runtime, concurrency, null);
  }

  static FunctionDef echo(String runtime, int concurrency, URI url) {
    ObjectNode s = JSON.createObjectNode();
    switch (runtime) {
      case "java" -> s.put("name", "sluice.identity");
      case "process" -> s.putArray("command").add("cat");
      case "docker" ->
          s.put("image", "sluice/fn-python:local")
              .put("codeText", "def main(value):\n    return value\n")
              .put("maxContainers", Math.max(1, concurrency));
      case "http" -> s.put("url", url.toString());
      default -> throw new IllegalArgumentException("no echo function for runtime " + runtime);
    }
    return new FunctionDef("bench-echo", runtime, s, Location.of("bench runtime", 0));
  }

  /**
   * Measures one runtime; throws when a call fails, or for http when the functions framework cannot
   * be started ({@link FunctionsFramework#problem()} says why beforehand).
   */
  public Row run(String runtime, int calls, int concurrency) throws Exception {
    if (!runtime.equals("http")) {
      return measure(echo(runtime, concurrency), runtime, calls, concurrency);
    }
    Path dir = Files.createTempDirectory("sluice-bench-echo-");
    try (InputStream js = RuntimeBenchmark.class.getResourceAsStream("echo.js")) {
      Files.write(dir.resolve("index.js"), js.readAllBytes());
    }
    try (FunctionsFramework ff =
        FunctionsFramework.start(dir, "echo", "http", Duration.ofSeconds(60))) {
      return measure(echo(runtime, concurrency, ff.url()), runtime, calls, concurrency);
    } finally {
      Files.deleteIfExists(dir.resolve("index.js"));
      Files.deleteIfExists(dir);
    }
  }

  private Row measure(FunctionDef f, String runtime, int calls, int concurrency) throws Exception {
    try (SystemScheduler scheduler = new SystemScheduler(1);
        FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler))) {
      runtimes.validate(f);
      long t0 = System.nanoTime();
      call(runtimes, f, 0);
      double cold = (System.nanoTime() - t0) / 1e6;
      List<CompletableFuture<JsonNode>> warmUp = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        warmUp.add(invoke(runtimes, f, i));
      }
      for (CompletableFuture<JsonNode> w : warmUp) {
        w.get(120, TimeUnit.SECONDS);
      }
      long[] latencies = new long[calls];
      AtomicInteger next = new AtomicInteger();
      CompletableFuture<?>[] lanes = new CompletableFuture<?>[concurrency];
      long start = System.nanoTime();
      for (int l = 0; l < concurrency; l++) {
        lanes[l] = lane(runtimes, f, next, latencies);
      }
      CompletableFuture.allOf(lanes).get(10, TimeUnit.MINUTES);
      double wallSeconds = (System.nanoTime() - start) / 1e9;
      Arrays.sort(latencies);
      return new Row(
          runtime,
          round(cold),
          round(percentile(latencies, 0.50) / 1e6),
          round(percentile(latencies, 0.99) / 1e6),
          round(calls / wallSeconds),
          calls,
          concurrency);
    }
  }

  /** Calls one after another until {@code calls} are taken, recording each latency. */
  private static CompletableFuture<Void> lane(
      FunctionRuntimes runtimes, FunctionDef f, AtomicInteger next, long[] latencies) {
    int i = next.getAndIncrement();
    if (i >= latencies.length) {
      return CompletableFuture.completedFuture(null);
    }
    long t = System.nanoTime();
    return invoke(runtimes, f, i)
        .thenComposeAsync( // a hop, so a runtime that completes at once does not recurse
            out -> {
              latencies[i] = System.nanoTime() - t;
              if (!out.path("n").isInt() || out.get("n").asInt() != i) {
                throw new IllegalStateException("echo answered " + out + " to call " + i);
              }
              return lane(runtimes, f, next, latencies);
            });
  }

  private static JsonNode call(FunctionRuntimes runtimes, FunctionDef f, int i) throws Exception {
    return invoke(runtimes, f, i).get(120, TimeUnit.SECONDS);
  }

  private static CompletableFuture<JsonNode> invoke(
      FunctionRuntimes runtimes, FunctionDef f, int i) {
    ObjectNode in = JSON.createObjectNode().put("n", i);
    return runtimes
        .invoke(new Invocation(f, in, Long.MAX_VALUE, "bench", "echo", 1, Hints.NONE))
        .toCompletableFuture();
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
