package io.sluice.engine;

import io.sluice.runtime.CallTime;

/**
 * Keeps the output logs a runtime captured for one function call ({@link CallTime#log()}): a
 * process's stderr, a container's log, a java function's log lines. The engine calls it once per
 * call that left logs, when the call ends, on the engine's threads: an implementation must not
 * block. Exceptions it throws are ignored by the engine.
 */
@FunctionalInterface
public interface CallLogs {
  /** Keeps nothing; the default. */
  CallLogs NONE = (call, log) -> {};

  /**
   * Which call the logs are of.
   *
   * @param instanceId the top-level instance
   * @param nodeId the top-level node (a map item's or nested node's call names its top-level node)
   * @param attempt the called node's attempt
   * @param item map item or loop round index + 1; 0 for the node itself
   * @param runtime the runtime's kind (process, container, java, …)
   * @param timeMillis when the call ended (epoch ms, the scheduler's clock)
   */
  record Call(
      String instanceId, String nodeId, int attempt, int item, String runtime, long timeMillis) {}

  void logs(Call call, CallTime.Log log);
}
