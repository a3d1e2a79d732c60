package io.sluice.engine;

import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.time.Scheduler;
import java.util.Map;
import java.util.Objects;

/**
 * How an engine is built.
 *
 * @param runtimes the function runtimes (the engine does not close them)
 * @param scheduler time and timers
 * @param threads threads that run instance state machines
 * @param registry function bindings that override a workflow's own declarations
 * @param syntheticFallback bind functions declared nowhere to the synthetic runtime
 * @param recordHistory keep every event of every instance (for status, watch and tests)
 * @param retainFinished how many finished root instances to keep for status queries
 * @param maxHeldEvents external events an instance holds for event waits not yet reached
 * @param prewarm when a function node starts, hint the runtimes of its direct successors that are
 *     function nodes of this worker ({@link io.sluice.runtime.FunctionRuntime#prewarm}), once per
 *     instance and successor
 * @param nodeSteps hears every node's steps (started, completed, …) as they happen; {@link
 *     NodeSteps#NONE} costs one comparison per step
 * @param callLogs keeps the output logs runtimes capture per function call ({@link CallLogs#NONE}
 *     drops them)
 */
public record EngineOptions(
    FunctionRuntimes runtimes,
    Scheduler scheduler,
    int threads,
    Map<String, FunctionDef> registry,
    boolean syntheticFallback,
    boolean recordHistory,
    int retainFinished,
    int maxHeldEvents,
    boolean prewarm,
    NodeSteps nodeSteps,
    CallLogs callLogs) {

  public EngineOptions {
    nodeSteps = nodeSteps == null ? NodeSteps.NONE : nodeSteps;
    callLogs = callLogs == null ? CallLogs.NONE : callLogs;
    Objects.requireNonNull(runtimes, "runtimes");
    Objects.requireNonNull(scheduler, "scheduler");
    registry = registry == null ? Map.of() : Map.copyOf(registry);
    if (threads < 1) {
      throw new IllegalArgumentException("engine threads must be >= 1, got " + threads);
    }
    if (retainFinished < 0 || maxHeldEvents < 0) {
      throw new IllegalArgumentException("retainFinished and maxHeldEvents must be >= 0");
    }
  }

  /** Options that hear no node steps and keep no call logs. */
  public EngineOptions(
      FunctionRuntimes runtimes,
      Scheduler scheduler,
      int threads,
      Map<String, FunctionDef> registry,
      boolean syntheticFallback,
      boolean recordHistory,
      int retainFinished,
      int maxHeldEvents,
      boolean prewarm) {
    this(
        runtimes,
        scheduler,
        threads,
        registry,
        syntheticFallback,
        recordHistory,
        retainFinished,
        maxHeldEvents,
        prewarm,
        NodeSteps.NONE,
        CallLogs.NONE);
  }

  public static EngineOptions of(FunctionRuntimes runtimes) {
    return new EngineOptions(
        runtimes,
        runtimes.options().scheduler(),
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        Map.of(),
        false,
        true,
        10_000,
        1_000,
        true);
  }

  public EngineOptions withRegistry(Map<String, FunctionDef> r) {
    return new EngineOptions(
        runtimes,
        scheduler,
        threads,
        r,
        syntheticFallback,
        recordHistory,
        retainFinished,
        maxHeldEvents,
        prewarm,
        nodeSteps,
        callLogs);
  }

  public EngineOptions withSyntheticFallback(boolean s) {
    return new EngineOptions(
        runtimes,
        scheduler,
        threads,
        registry,
        s,
        recordHistory,
        retainFinished,
        maxHeldEvents,
        prewarm,
        nodeSteps,
        callLogs);
  }

  public EngineOptions withThreads(int t) {
    return new EngineOptions(
        runtimes,
        scheduler,
        t,
        registry,
        syntheticFallback,
        recordHistory,
        retainFinished,
        maxHeldEvents,
        prewarm,
        nodeSteps,
        callLogs);
  }

  public EngineOptions withRecordHistory(boolean h) {
    return new EngineOptions(
        runtimes,
        scheduler,
        threads,
        registry,
        syntheticFallback,
        h,
        retainFinished,
        maxHeldEvents,
        prewarm,
        nodeSteps,
        callLogs);
  }

  public EngineOptions withPrewarm(boolean p) {
    return new EngineOptions(
        runtimes,
        scheduler,
        threads,
        registry,
        syntheticFallback,
        recordHistory,
        retainFinished,
        maxHeldEvents,
        p,
        nodeSteps,
        callLogs);
  }

  public EngineOptions withNodeSteps(NodeSteps s) {
    return new EngineOptions(
        runtimes,
        scheduler,
        threads,
        registry,
        syntheticFallback,
        recordHistory,
        retainFinished,
        maxHeldEvents,
        prewarm,
        s,
        callLogs);
  }

  public EngineOptions withCallLogs(CallLogs l) {
    return new EngineOptions(
        runtimes,
        scheduler,
        threads,
        registry,
        syntheticFallback,
        recordHistory,
        retainFinished,
        maxHeldEvents,
        prewarm,
        nodeSteps,
        l);
  }

  public EngineOptions withMaxHeldEvents(int m) {
    return new EngineOptions(
        runtimes,
        scheduler,
        threads,
        registry,
        syntheticFallback,
        recordHistory,
        retainFinished,
        m,
        prewarm,
        nodeSteps,
        callLogs);
  }
}
