package io.sluice.faastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.api.Transfers;
import io.sluice.cluster.config.ContainerReclaim;
import io.sluice.cluster.config.ReclaimableMemory;
import io.sluice.cluster.config.StoreConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The contract for the memory store, spilling into a second (large) memory store. */
class MemoryStoreTest extends DataStoreContract {

  @Override
  protected DataStore newStore(StoreConfig config) {
    MemoryStore spill =
        MemoryStore.create(
            config.toBuilder().budget(1L << 30).build(), scheduler, Optional.empty());
    return MemoryStore.create(config, scheduler, Optional.of(spill));
  }

  @Test
  void localHandOffIsZeroCopy() {
    Blob value = randomBlob(1 << 20, 7);
    DataKey key = new DataKey("z", "n", "out");
    join(store.put(key, value));
    assertThat(join(store.get(key)).orElseThrow()).isSameAs(value);
    assertThat(store.transfers("z")).isEqualTo(new Transfers(1 << 20, 0, 0));
  }

  @Test
  void reclaimableBudgetFollowsWhatFunctionsUse() {
    StoreConfig config = config().reclaimable(new ReclaimableMemory(4, 1000_000, 0.5)).build();
    MemoryStore memory = (MemoryStore) open(config);
    assertThat(memory.budgetBytes()).isEqualTo(2_000_000);
    for (int i = 0; i < 15; i++) {
      join(memory.put(new DataKey("r", "n" + i, "out"), randomBlob(100_000, i)));
    }
    memory.reportFunctionMemory(1_500_000);
    assertThat(memory.budgetBytes()).isEqualTo(500_000);
    StoreUsage usage = memory.usage();
    assertThat(usage.bytes()).isLessThanOrEqualTo(500_000);
    assertThat(usage.spilledEntries()).isGreaterThanOrEqualTo(10);
    for (int i = 0; i < 15; i++) {
      assertThat(join(memory.get(new DataKey("r", "n" + i, "out")))).isPresent();
    }
    memory.reportFunctionMemory(9_000_000);
    assertThat(memory.budgetBytes()).isZero();
  }

  @Test
  void aBudgetFromContainersFollowsTheirUnusedMemoryOnTheScheduler() {
    StoreConfig config =
        config()
            .redisUri(java.net.URI.create("redis://127.0.0.1:1"))
            .reclaimFromContainers(new ContainerReclaim(0.5, 200_000, 4_000_000))
            .build();
    MemoryStore memory = (MemoryStore) open(config);
    assertThat(memory.budgetBytes()).as("the floor until measured").isEqualTo(200_000);
    AtomicReference<ContainerBudget.ContainerMemory> containers =
        new AtomicReference<>(new ContainerBudget.ContainerMemory(4_000_000, 1_000_000));
    try (ContainerBudget follower =
        ContainerBudget.start(memory, containers::get, scheduler, Duration.ofSeconds(2))) {
      assertThat(memory.budgetBytes()).isEqualTo(1_500_000); // (4 MB - 1 MB) x 0.5
      for (int i = 0; i < 15; i++) {
        join(memory.put(new DataKey("c", "n" + i, "out"), randomBlob(100_000, i)));
      }
      assertThat(memory.usage().spilledEntries()).isZero();

      // a container grows into the memory the store holds: the next tick shrinks and spills
      containers.set(new ContainerBudget.ContainerMemory(4_000_000, 3_200_000));
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(memory.budgetBytes()).as("not before the interval").isEqualTo(1_500_000);
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(memory.budgetBytes()).isEqualTo(400_000);
      StoreUsage usage = memory.usage();
      assertThat(usage.bytes()).isLessThanOrEqualTo(400_000);
      assertThat(usage.spilledEntries()).isGreaterThanOrEqualTo(11);
      for (int i = 0; i < 15; i++) {
        assertThat(join(memory.get(new DataKey("c", "n" + i, "out")))).isPresent();
      }

      // past their grant (or none at all): the floor; far below it: the cap
      containers.set(new ContainerBudget.ContainerMemory(4_000_000, 4_000_000));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(memory.budgetBytes()).isEqualTo(200_000);
      containers.set(new ContainerBudget.ContainerMemory(64_000_000, 0));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(memory.budgetBytes()).isEqualTo(4_000_000);
    }
    containers.set(ContainerBudget.ContainerMemory.NONE);
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(memory.budgetBytes()).as("closed: no longer follows").isEqualTo(4_000_000);
  }

  @Test
  void containerMemoryDoesNotMoveOtherBudgets() {
    MemoryStore memory = (MemoryStore) open(config().budget(1_000_000).build());
    memory.reportContainerMemory(64_000_000, 0);
    assertThat(memory.budgetBytes()).isEqualTo(1_000_000);
  }

  @Test
  void withoutASpillStoreAnEvictedValueFailsClearlyOnRead() {
    MemoryStore memory =
        MemoryStore.create(config().budget(300_000).build(), scheduler, Optional.empty());
    DataKey first = new DataKey("d", "n0", "out");
    for (int i = 0; i < 5; i++) {
      join(memory.put(new DataKey("d", "n" + i, "out"), randomBlob(100_000, i)));
    }
    memory.updateBudget(0);
    assertThatThrownBy(() -> join(memory.get(first)))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("d/n0/out")
        .hasMessageContaining("no spill store");
    join(memory.deleteInstance("d"));
    assertThat(join(memory.get(first))).isEmpty();
    memory.close();
  }

  @Test
  void valueLargerThanTheWholeBudgetWithoutSpillStoreIsRefused() {
    MemoryStore memory =
        MemoryStore.create(config().budget(1000).build(), scheduler, Optional.empty());
    assertThatThrownBy(() -> join(memory.put(new DataKey("x", "n", "o"), randomBlob(1001, 1))))
        .cause()
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("memory budget of 1000 bytes");
    memory.close();
  }
}
