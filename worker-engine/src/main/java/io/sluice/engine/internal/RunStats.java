package io.sluice.engine.internal;

import java.util.concurrent.atomic.LongAdder;

/** Counters shared by a root instance and every child instance it starts. */
final class RunStats {
  final LongAdder invocations = new LongAdder();
}
