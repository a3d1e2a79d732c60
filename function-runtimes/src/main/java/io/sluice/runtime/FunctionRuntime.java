package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import java.util.concurrent.CompletionStage;

/**
 * Runs functions of one platform (the JVM, a process, a container, an HTTP endpoint...). Every
 * runtime is reached through this interface; which one serves a function is chosen in one place,
 * {@link FunctionRuntimes}, from the function's {@link FunctionDef#runtime()}.
 *
 * <p>{@link #invoke} must not block the caller for long: a runtime that waits on I/O or a process
 * completes the stage from its own threads. A failure completes the stage exceptionally with a
 * {@link FunctionException} whose type the engine's retry and catch policies match on.
 */
public interface FunctionRuntime extends AutoCloseable {

  /** The runtime name functions declare ({@code java}, {@code process}, {@code synthetic}...). */
  String kind();

  /**
   * Checks a function's settings before anything runs; throws {@link IllegalArgumentException}
   * saying which setting is wrong. Called when a workflow is loaded.
   */
  default void validate(FunctionDef function) {}

  /** Invokes a function once. */
  CompletionStage<JsonNode> invoke(Invocation invocation);

  /** Prepares a function (starts a warm container, loads a class); optional. */
  default void warmUp(FunctionDef function) {}

  /**
   * A hint that {@code function} is likely to be invoked soon (the engine gives it for the
   * successors of a node that just started). A runtime with a slow start may begin preparing one (a
   * container) in the background; it must never block the caller and never throw. The default does
   * nothing.
   */
  default void prewarm(FunctionDef function) {}

  /**
   * Whether {@link #invoke} may run {@code function}'s own code on the caller's thread before it
   * returns (a synchronous in-JVM function). The engine then keeps such instances off threads that
   * must never block (the network's I/O threads). Runtimes that only start work and complete the
   * call later (processes, containers, remote calls, timers) say false, the default.
   */
  default boolean runsOnCaller(FunctionDef function) {
    return false;
  }

  /** What this runtime holds now, for the worker's heartbeat; optional. */
  default Footprint footprint() {
    return Footprint.NONE;
  }

  /** Releases everything the runtime holds (processes, containers, connections). */
  @Override
  default void close() {}
}
