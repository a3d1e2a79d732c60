package io.sluice.faastore;

/**
 * What a store holds now and what it has done since it was opened.
 *
 * @param entries values held now
 * @param bytes bytes of values held now
 * @param budgetBytes the most bytes it will hold in memory, or {@link #UNBOUNDED}
 * @param puts put calls
 * @param gets get calls
 * @param hits gets that found a value
 * @param misses gets that found nothing
 * @param spilledEntries values moved to the spill store under memory pressure
 * @param spilledBytes bytes of those values
 * @param expiredEntries values freed because their time to live ran out
 */
public record StoreUsage(
    long entries,
    long bytes,
    long budgetBytes,
    long puts,
    long gets,
    long hits,
    long misses,
    long spilledEntries,
    long spilledBytes,
    long expiredEntries) {

  /** Budget of a store that holds no values in this process's memory. */
  public static final long UNBOUNDED = -1;

  /** Adds another tier's figures to this one; the budget is this store's. */
  public StoreUsage plusHoldings(StoreUsage other) {
    return new StoreUsage(
        entries + other.entries,
        bytes + other.bytes,
        budgetBytes,
        puts,
        gets,
        hits,
        misses,
        spilledEntries + other.spilledEntries,
        spilledBytes + other.spilledBytes,
        expiredEntries + other.expiredEntries);
  }
}
