package io.sluice.cluster.config;

/**
 * FaaSFlow's store budget: the memory granted to function slots but not used by the functions
 * running in them. {@code slots x grantedPerSlot x reclaimRatio}, less what running functions
 * report using, never below zero.
 */
public record ReclaimableMemory(int slots, long grantedPerSlot, double reclaimRatio) {

  public ReclaimableMemory {
    if (slots <= 0 || grantedPerSlot <= 0) {
      throw new IllegalArgumentException(
          "reclaimable memory needs slots > 0 and granted memory per slot > 0, got "
              + slots
              + " slots x "
              + grantedPerSlot
              + " bytes");
    }
    if (!(reclaimRatio > 0 && reclaimRatio <= 1)) {
      throw new IllegalArgumentException("reclaim ratio must be in (0, 1], got " + reclaimRatio);
    }
  }

  /** The most the store may hold when no function uses any memory. */
  public long ceiling() {
    return (long) (slots * (double) grantedPerSlot * reclaimRatio);
  }

  /** The budget while running functions use {@code usedByFunctions} bytes. */
  public long budget(long usedByFunctions) {
    return Math.max(0, ceiling() - Math.max(0, usedByFunctions));
  }
}
