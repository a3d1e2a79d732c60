package io.sluice.faastore;

import java.util.concurrent.atomic.LongAdder;

/** The operation counters every store keeps for {@link StoreUsage}. */
final class StoreCounters {
  final LongAdder puts = new LongAdder();
  final LongAdder gets = new LongAdder();
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder spilledEntries = new LongAdder();
  final LongAdder spilledBytes = new LongAdder();
  final LongAdder expired = new LongAdder();

  StoreUsage usage(long entries, long bytes, long budget) {
    return new StoreUsage(
        entries,
        bytes,
        budget,
        puts.sum(),
        gets.sum(),
        hits.sum(),
        misses.sum(),
        spilledEntries.sum(),
        spilledBytes.sum(),
        expired.sum());
  }
}
