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

  /** The budget in force, in bytes. */
  long budgetBytes();
}
