package io.sluice.faastore;

/**
 * The memory a store may hold, which a worker moves as functions start and stop. Shrinking it
 * evicts values (to the spill store when there is one); it never fails.
 */
public interface MemoryBudget {

  /** Sets the budget to {@code bytes}. */
  void updateBudget(long bytes);

  /**
   * Tells the store how much memory running functions use now; with a reclaimable budget (FaaSFlow:
   * slots x granted memory x reclaim ratio) the budget becomes what is left, with a fixed one
   * nothing changes.
   */
  void reportFunctionMemory(long usedBytes);

  /**
   * Tells the store how much memory the worker's containers were granted and use now; with a budget
   * that follows the containers ({@code reclaimFromContainers}) the budget becomes {@code
   * reclaimRatio x (granted - used)} between {@code budgetFloor} and {@code budgetCap}, with any
   * other budget nothing changes. A shrinking budget evicts (and spills) at once.
   */
  default void reportContainerMemory(long grantedBytes, long usedBytes) {}

  /** The budget in force, in bytes. */
  long budgetBytes();

  /** Bytes of values held in memory now (cheap: no scan; a worker's /metrics reads it). */
  default long usedBytes() {
    return 0;
  }
}
