package io.sluice.engine;

/**
 * Hears the steps of an engine's nodes as they happen: a node started, ended, is retried, waits or
 * was skipped. Workers batch them to the master (its node table, history and watch streams); the
 * master's own engine (MasterSP) feeds them to the master directly.
 *
 * <p>Called on the engine's threads, on the hot path of every node: an implementation must not
 * block and should cost no more than an enqueue. Exceptions it throws are ignored by the engine.
 */
@FunctionalInterface
public interface NodeSteps {
  /** Hears nothing; the default. */
  NodeSteps NONE = (instanceId, nodeId, step) -> {};

  /** What happened: {@code started}, {@code completed}, {@code failed}, … */
  enum Kind {
    STARTED("started"),
    COMPLETED("completed"),
    FAILED("failed"),
    RETRYING("retrying"),
    SKIPPED("skipped"),
    WAITING("waiting");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    /** The name on the wire (NodeProgress.state) and in history types ({@code node.<wire>}). */
    public String wire() {
      return wire;
    }
  }

  /**
   * One step of one node.
   *
   * @param kind what happened
   * @param attempt 1, 2, … (retries count up)
   * @param timeMillis when (epoch ms, the scheduler's clock)
   * @param durationNanos ends: how long the attempt ran; 0 otherwise
   * @param errorType failed/retrying: the error's type (as catchers match it); null otherwise
   * @param errorMessage failed/retrying: the error's message; null otherwise
   * @param item map item or loop round index + 1; 0 for the node itself
   * @param itemsTotal map nodes: how many items it fans out to, once known; 0 otherwise
   */
  record Step(
      Kind kind,
      int attempt,
      long timeMillis,
      long durationNanos,
      String errorType,
      String errorMessage,
      int item,
      int itemsTotal) {}

  /**
   * A step of top-level node {@code nodeId} of top-level instance {@code instanceId} (nested nodes
   * and map items report as their top-level node, with {@link Step#item()}).
   */
  void step(String instanceId, String nodeId, Step step);
}
