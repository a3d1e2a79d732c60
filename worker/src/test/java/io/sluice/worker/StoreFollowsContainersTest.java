package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sluice.cluster.config.ContainerReclaim;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.engine.EngineOptions;
import io.sluice.faastore.Blob;
import io.sluice.faastore.DataKey;
import io.sluice.faastore.MemoryStore;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * FaaStore in the containers' unused memory, with the real Docker engine and Redis: a worker whose
 * store follows its containers ({@code reclaimFromContainers}) holds values in the memory a
 * container leaves unused; when the container allocates, the budget shrinks and the values spill to
 * Redis, and the container is not OOM-killed.
 */
@IntegrationTest // needs a Docker engine, Redis and starts containers
class StoreFollowsContainersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1L << 20;
  private static final String GROW =
      "held = []\n"
          + "def main(a):\n"
          + "    held.append(bytearray(a.get('grow', 0) * 1024 * 1024))\n"
          + "    return {'held': sum(len(b) for b in held)}\n";

  private static URI redis() {
    String uri = System.getProperty("SLUICE_REDIS_URI", System.getenv("SLUICE_REDIS_URI"));
    if (uri == null || uri.isBlank()) {
      skipOrFail("SLUICE_REDIS_URI is not set; run `scripts/services.sh start DIR`");
    }
    return URI.create(uri.trim());
  }

  private static void skipOrFail(String why) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why + " (CI=true: this test must run, not be skipped)");
    }
    Assumptions.abort(why);
  }

  private static void buildImage() throws Exception {
    Path root = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath();
    Process p =
        new ProcessBuilder(root.resolve("images/build.sh").toString(), "python")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("images/build.sh: " + out).isZero();
  }

  private static List<String> keysUnder(URI uri, String prefix) {
    RedisClient client = RedisClient.create(uri.toString());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      List<String> keys = new ArrayList<>();
      var cursor = c.sync().scan(ScanArgs.Builder.matches(prefix + "*").limit(1000));
      keys.addAll(cursor.getKeys());
      while (!cursor.isFinished()) {
        cursor = c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
        keys.addAll(cursor.getKeys());
      }
      return keys;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static JsonNode call(FunctionRuntimes rt, FunctionDef f, int growMiB) throws Exception {
    return rt.invoke(
            new Invocation(
                f,
                JSON.createObjectNode().put("grow", growMiB),
                Long.MAX_VALUE,
                "i",
                "grow",
                1,
                Hints.NONE))
        .toCompletableFuture()
        .get(120, TimeUnit.SECONDS);
  }

  @Test
  void aContainerThatAllocatesShrinksTheBudgetAndValuesSpillToRedis() throws Exception {
    URI redis = redis();
    String prefix = "sluice-budget-" + Long.toHexString(System.nanoTime());
    StoreConfig store =
        StoreConfig.builder()
            .mode(StoreMode.TIERED)
            .redisUri(redis)
            .keyPrefix(prefix)
            .reclaimFromContainers(new ContainerReclaim(1.0, 4 * MIB, 512 * MIB))
            .build();
    ObjectNode settings =
        JSON.createObjectNode()
            .put("image", "sluice/fn-python:local")
            .put("codeText", GROW)
            .put("memory", "256MiB");
    FunctionDef f = new FunctionDef("grow", "docker", settings, Location.of("test", 1));
    try (SystemScheduler scheduler = new SystemScheduler(2);
        FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
        MasterStandIn master = new MasterStandIn(0)) {
      try {
        runtimes.runtime("docker").validate(f);
      } catch (IllegalArgumentException e) {
        skipOrFail("no Docker engine or image: " + e.getMessage());
      }
      buildImage();
      try (WorkerNode node =
          new WorkerNode(
              "w1",
              "127.0.0.1",
              0,
              master.channel(),
              EngineOptions.of(runtimes),
              List.of(),
              PeerLinkOptions.DEFAULT,
              store)) {
        assertThat(node.followsContainers()).isTrue();
        assertThat(node.storeBudgetBytes()).as("the floor before any container").isEqualTo(4 * MIB);
        assertThat(call(runtimes, f, 0).get("held").asLong()).isZero();
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> node.storeBudgetBytes() > 200 * MIB);
        long before = node.storeBudgetBytes();
        var idle = node.containerMemory();
        System.out.printf(
            "budget-from-containers: granted %d MiB, used %d MiB, store budget %d MiB%n",
            idle.grantedBytes() / MIB, idle.usedBytes() / MIB, before / MIB);

        MemoryStore memory = (MemoryStore) node.store().orElseThrow().memoryBudget().orElseThrow();
        byte[] value = new byte[(int) (4 * MIB)];
        for (int i = 0; i < 30; i++) {
          value[0] = (byte) i;
          memory
              .put(new DataKey("inst", "n" + i, "out"), Blob.copyOf(value))
              .toCompletableFuture()
              .join();
        }
        assertThat(memory.usage().spilledEntries()).as("120 MiB fit before").isZero();

        // the container allocates 160 MiB of its 256 MiB: the budget shrinks, values spill
        assertThat(call(runtimes, f, 160).get("held").asLong()).isEqualTo(160 * MIB);
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> node.storeBudgetBytes() < 100 * MIB);
        var grown = node.containerMemory();
        long after = node.storeBudgetBytes();
        System.out.printf(
            "budget-from-containers: granted %d MiB, used %d MiB, store budget %d MiB (was %d MiB)%n",
            grown.grantedBytes() / MIB, grown.usedBytes() / MIB, after / MIB, before / MIB);
        assertThat(grown.usedBytes()).isGreaterThanOrEqualTo(160 * MIB);
        var usage = memory.usage();
        assertThat(usage.bytes()).isLessThanOrEqualTo(after);
        assertThat(usage.spilledEntries()).isGreaterThanOrEqualTo(5);
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !keysUnder(redis, prefix).isEmpty());
        for (int i = 0; i < 30; i++) {
          Blob b =
              memory
                  .get(new DataKey("inst", "n" + i, "out"))
                  .toCompletableFuture()
                  .join()
                  .orElseThrow();
          assertThat(b.size()).isEqualTo(4 * MIB);
        }
        // the same container, not OOM-killed: it still holds its 160 MiB
        assertThat(call(runtimes, f, 0).get("held").asLong()).isEqualTo(160 * MIB);
        memory.deleteInstance("inst").toCompletableFuture().join();
      }
    } finally {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> keysUnder(redis(), prefix).isEmpty());
    }
  }
}
