package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.cluster.durable.CallOutcome;
import io.sluice.runtime.CallKey;
import io.sluice.runtime.FunctionException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Function calls in a durable cluster: each outcome is recorded in the journal before the engine
 * uses it (first writer wins, and the winner is what the engine gets), and a call whose outcome was
 * recorded before this worker took its part over is answered from the record instead of being made
 * again. The key is the call's idempotency key: one per (instance path, node, attempt).
 */
final class JournaledCalls {
  /** The type of a call's error when its outcome could not be recorded. */
  static final String UNAVAILABLE = "DurabilityUnavailable";

  /** Appended to a wait node's call key for the record of its timer's deadline. */
  static final String TIMER_SUFFIX = "#timer";

  private JournaledCalls() {}

  static CallOutcome recovered(Instance inst, CallKey key) {
    if (inst.ctx.recovered.isEmpty()) {
      return null;
    }
    Map<String, CallOutcome> calls = inst.ctx.recovered.get(inst.rootId());
    return calls == null ? null : calls.get(key.idempotencyKey());
  }

  static CompletableFuture<JsonNode> replay(CallOutcome o) {
    return o.failed()
        ? CompletableFuture.failedFuture(
            new FunctionException(o.errorType(), o.errorMessage(), o.retryable()))
        : CompletableFuture.completedFuture(o.output());
  }

  static CompletableFuture<JsonNode> record(
      Instance inst, CallKey key, CompletableFuture<JsonNode> call) {
    String root = inst.rootId();
    return call.handle(
            (out, ex) -> {
              if (ex == null) {
                return CallOutcome.completed(out == null ? NullNode.getInstance() : out);
              }
              FunctionException f = FunctionException.of(ex);
              return CallOutcome.failed(f.type(), f.getMessage(), f.retryable());
            })
        .thenCompose(
            o ->
                inst.ctx.closing
                    // the worker is stopping (its runtimes close under running calls): an outcome
                    // of that is not the call's, and the part's heir makes the call again
                    ? new CompletableFuture<CallOutcome>()
                    : inst.ctx
                        .journal
                        .called(root, key.idempotencyKey(), o)
                        .toCompletableFuture()
                        .handle(
                            (winner, ex) -> {
                              if (ex != null) {
                                throw new FunctionException(
                                    UNAVAILABLE,
                                    "the outcome of call "
                                        + key.idempotencyKey()
                                        + " could not be recorded: "
                                        + FunctionException.of(ex).getMessage(),
                                    false);
                              }
                              return winner;
                            }))
        .thenCompose(JournaledCalls::replay);
  }
}
