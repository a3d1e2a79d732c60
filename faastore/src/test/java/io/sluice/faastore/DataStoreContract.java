package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.sluice.cluster.config.StoreConfig;
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link DataStore} must do; each implementation's test extends this. */
abstract class DataStoreContract {
  protected final ManualScheduler scheduler = new ManualScheduler();
  private final List<DataStore> opened = new ArrayList<>();
  protected DataStore store;

  /** A new store of the implementation under test, built from {@code config}. */
  protected abstract DataStore newStore(StoreConfig config);

  /** Lets {@code d} pass for the store's TTL clock. */
  protected void letTimePass(Duration d) {
    scheduler.advance(d);
  }

  /** A TTL short enough for the TTL test to wait out. */
  protected Duration shortTtl() {
    return Duration.ofMinutes(5);
  }

  /** Asserts the backing service holds nothing of this test's (Redis: no keys under the prefix). */
  protected void assertNothingLeftBehind() {}

  protected StoreConfig.Builder config() {
    return StoreConfig.builder()
        .budget(64L << 20)
        .chunkSize(1L << 20)
        .maxValueSize(16L << 20)
        .ttl(Duration.ofHours(1));
  }

  protected DataStore open(StoreConfig config) {
    DataStore s = newStore(config);
    opened.add(s);
    return s;
  }

  @BeforeEach
  void openStore() {
    store = open(config().build());
  }

  @AfterEach
  void closeStores() {
    opened.forEach(DataStore::close);
  }

  static Blob randomBlob(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Blob.wrap(b);
  }

  static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1024, 5 * 1024 * 1024 + 17})
  void storesAndReturnsValuesOfAnySize(int size) {
    DataKey key = new DataKey("i1", "n1", "out");
    Blob value = randomBlob(size, size);
    join(store.put(key, value));
    assertThat(join(store.get(key))).contains(value);
  }

  @Test
  void getOfAMissingValueIsEmpty() {
    assertThat(join(store.get(new DataKey("nobody", "n", "k")))).isEmpty();
  }

  @Test
  void overwriteReplacesTheValueAndLeavesNoOldChunks() {
    DataKey key = new DataKey("i1", "n1", "out");
    join(store.put(key, randomBlob(3 * 1024 * 1024, 1)));
    Blob small = randomBlob(1024, 2);
    join(store.put(key, small));
    assertThat(join(store.get(key))).contains(small);
    join(store.delete(key));
    assertNothingLeftBehind();
  }

  @Test
  void deleteDropsOneValue() {
    DataKey a = new DataKey("i1", "n1", "a");
    DataKey b = new DataKey("i1", "n1", "b");
    join(store.put(a, randomBlob(10, 1)));
    join(store.put(b, randomBlob(10, 2)));
    join(store.delete(a));
    join(store.delete(new DataKey("i1", "n1", "never-stored")));
    assertThat(join(store.get(a))).isEmpty();
    assertThat(join(store.get(b))).isPresent();
  }

  @Test
  void deleteInstanceDropsEveryValueOfThatInstanceOnly() {
    for (int n = 0; n < 5; n++) {
      join(store.put(new DataKey("gone", "n" + n, "out"), randomBlob(2 * 1024 * 1024, n)));
      join(store.put(new DataKey("kept", "n" + n, "out"), randomBlob(100, n)));
    }
    join(store.deleteInstance("gone"));
    for (int n = 0; n < 5; n++) {
      assertThat(join(store.get(new DataKey("gone", "n" + n, "out")))).isEmpty();
      assertThat(join(store.get(new DataKey("kept", "n" + n, "out")))).isPresent();
    }
    assertThat(store.usage().entries()).isEqualTo(5);
  }

  @Test
  void concurrentPutsAndGetsSeeWholeValues() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    DataKey key = new DataKey("c" + (i % 5), "t" + thread, "k" + i);
                    Blob value = randomBlob(1000 + i * 100, thread * 1000L + i);
                    join(store.put(key, value));
                    assertThat(join(store.get(key))).contains(value);
                  }
                }));
      }
      for (Future<?> f : tasks) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.usage().entries()).isEqualTo(400);
  }

  @Test
  void usageCountsEntriesBytesAndOperations() {
    join(store.put(new DataKey("u", "n", "a"), randomBlob(1000, 1)));
    join(store.put(new DataKey("u", "n", "b"), randomBlob(2000, 2)));
    join(store.put(new DataKey("u", "n", "c"), randomBlob(3000, 3)));
    join(store.get(new DataKey("u", "n", "a")));
    join(store.get(new DataKey("u", "n", "missing")));
    StoreUsage usage = store.usage();
    assertThat(usage.entries()).isEqualTo(3);
    assertThat(usage.bytes()).isEqualTo(6000);
    assertThat(usage.puts()).isEqualTo(3);
    assertThat(usage.gets()).isEqualTo(2);
    assertThat(usage.hits()).isEqualTo(1);
    assertThat(usage.misses()).isEqualTo(1);
  }

  @Test
  void valueOverTheMaximumFailsWithAClearNonRetryableError() {
    DataStore small = open(config().maxValueSize(1L << 20).build());
    DataKey key = new DataKey("big", "producer", "out");
    assertThatThrownBy(() -> join(small.put(key, randomBlob((1 << 20) + 1, 1))))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(StoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("big/producer/out")
        .hasMessageContaining("1048577 bytes")
        .hasMessageContaining("1048576 bytes");
    assertThat(join(small.get(key))).isEmpty();
  }

  @Test
  void valuesOfInstancesThatNeverEndExpireAfterTheTtl() {
    DataStore expiring = open(config().ttl(shortTtl()).build());
    DataKey key = new DataKey("forever", "n", "out");
    join(expiring.put(key, randomBlob(5000, 1)));
    letTimePass(shortTtl().plusMillis(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> join(expiring.get(key)).isEmpty());
    assertThat(expiring.usage().bytes()).isZero();
  }

  @Test
  void shrinkingTheBudgetSpillsValuesWithoutLosingAny() {
    assumeThat(store.memoryBudget()).as("store keeps values in memory").isPresent();
    List<DataKey> keys = new ArrayList<>();
    List<Blob> values = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add(new DataKey("spill", "n" + i, "out"));
      values.add(randomBlob(100_000, i));
      join(store.put(keys.get(i), values.get(i)));
    }
    store.memoryBudget().get().updateBudget(250_000);
    store.memoryBudget().get().updateBudget(0);
    StoreUsage usage = store.usage();
    assertThat(usage.spilledEntries()).isEqualTo(20);
    assertThat(usage.spilledBytes()).isEqualTo(2_000_000);
    for (int i = 0; i < 20; i++) {
      assertThat(join(store.get(keys.get(i)))).as("value %s", keys.get(i)).contains(values.get(i));
    }
    join(store.deleteInstance("spill"));
    assertThat(store.usage().bytes()).isZero();
    assertNothingLeftBehind();
  }

  @Test
  void noBytesStayBehindAfterAThousandInstances() {
    for (int i = 0; i < 1000; i++) {
      String instance = "inst-" + i;
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        int size = n == 2 && i % 100 == 0 ? (1 << 20) * 2 + 5 : 500 * n;
        DataKey key = new DataKey(instance, "n" + n, "out");
        puts.add(store.put(key, randomBlob(size, n)).toCompletableFuture());
      }
      puts.forEach(CompletableFuture::join);
      assertThat(join(store.get(new DataKey(instance, "n1", "out")))).isPresent();
      join(store.deleteInstance(instance));
    }
    StoreUsage usage = store.usage();
    assertThat(usage.entries()).isZero();
    assertThat(usage.bytes()).isZero();
    assertNothingLeftBehind();
  }
}
