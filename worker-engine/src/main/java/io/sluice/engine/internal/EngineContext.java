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

  /** Hears node steps ({@link io.sluice.engine.NodeSteps#NONE}: nothing is made for it). */
  final io.sluice.engine.NodeSteps steps;

  /** Keeps the logs of function calls. */
  final io.sluice.engine.CallLogs logs;

  /** External events: routing, correlation and holding (set once when the engine is built). */
  EngineEvents events;

  /**
   * Where the events {@code emit} tasks make go ({@link EventEmitter}): this engine's own routing
   * unless a worker engine replaces it with the cluster's.
   */
  volatile EventEmitter.Outlet emitter;

  /** How a worker hands outputs to other workers (cluster mode only). */
  volatile io.sluice.engine.data.DataPlane data = io.sluice.engine.data.DataPlane.inline();

  /** Function calls started and not finished yet (what a worker reports as busy slots). */
  final java.util.concurrent.atomic.AtomicInteger activeCalls =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Set when the engine closes: outcomes produced by its shutdown are not recorded. */
  volatile boolean closing;

  /** Where a durable cluster records call outcomes ({@code Journal.NONE} otherwise). */
  volatile io.sluice.cluster.durable.Journal journal = io.sluice.cluster.durable.Journal.NONE;

  /**
   * Call outcomes recorded before this worker took over a part (root instance id to call key to
   * outcome): a call found here is not made again. Empty unless a part was adopted.
   */
  final java.util.concurrent.ConcurrentHashMap<
          String, java.util.Map<String, io.sluice.cluster.durable.CallOutcome>>
      recovered = new java.util.concurrent.ConcurrentHashMap<>();

  EngineContext(EngineOptions options, Executor executor, EmbeddedEngine engine) {
    this.options = options;
    this.scheduler = options.scheduler();
    this.executor = executor;
    this.engine = engine;
    this.steps = options.nodeSteps();
    this.logs = options.callLogs();
    this.emitter =
        event -> java.util.concurrent.CompletableFuture.completedFuture(engine.route(event));
  }
}
