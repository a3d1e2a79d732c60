package io.sluice.engine.internal;

import io.sluice.engine.EngineOptions;
import io.sluice.time.Scheduler;
import java.util.concurrent.Executor;

/** What every instance of one engine shares. */
final class EngineContext {
  final EngineOptions options;
  final Scheduler scheduler;
  final Executor executor;
  final EmbeddedEngine engine;

  /** External events: routing, correlation and holding (set once when the engine is built). */
  EngineEvents events;

  /** How a worker hands outputs to other workers (cluster mode only). */
  volatile io.sluice.engine.data.DataPlane data = io.sluice.engine.data.DataPlane.inline();

  /** Function calls started and not finished yet (what a worker reports as busy slots). */
  final java.util.concurrent.atomic.AtomicInteger activeCalls =
      new java.util.concurrent.atomic.AtomicInteger();

  EngineContext(EngineOptions options, Executor executor, EmbeddedEngine engine) {
    this.options = options;
    this.scheduler = options.scheduler();
    this.executor = executor;
    this.engine = engine;
  }
}
