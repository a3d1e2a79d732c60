package io.sluice.master.source;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one source did since it started (the master's {@code /metrics}, {@code
 * sluice_source_entries_*_total{source=...}}): entries read (claimed ones included), acknowledged,
 * copied to the dead-letter stream (malformed, unmatched, or held until their hold time ended),
 * claimed from a consumer that left them pending, and left unacknowledged because routing failed
 * (they are claimed again after {@code claimIdle}).
 */
public final class SourceCounters {
  final AtomicLong read = new AtomicLong();
  final AtomicLong acked = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong unmatched = new AtomicLong();
  final AtomicLong expired = new AtomicLong();
  final AtomicLong claimed = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  public long read() {
    return read.get();
  }

  public long acked() {
    return acked.get();
  }

  /** Dead-lettered entries, all reasons. */
  public long deadLettered() {
    return malformed.get() + unmatched.get() + expired.get();
  }

  public long malformed() {
    return malformed.get();
  }

  public long unmatched() {
    return unmatched.get();
  }

  public long expired() {
    return expired.get();
  }

  public long claimed() {
    return claimed.get();
  }

  public long failed() {
    return failed.get();
  }
}
