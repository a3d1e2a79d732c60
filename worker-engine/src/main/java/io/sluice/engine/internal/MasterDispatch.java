package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.InstanceLog;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MasterSP's Dispatch on a worker: one node's function called for the master, which holds the
 * instance (no part runs here); counted among the worker's active calls.
 */
final class MasterDispatch {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionedEngine.class);

  private MasterDispatch() {}

  static CompletionStage<JsonNode> dispatch(
      EngineContext ctx,
      CompiledWorkflow wf,
      WorkflowKey key,
      String instanceId,
      String nodeId,
      JsonNode input,
      int attempt,
      long deadlineNanos,
      io.sluice.runtime.CallKey callKey) {
    Trigger t = functionTrigger(wf, nodeId);
    if (t == null || t.runtime == null) {
      return CompletableFuture.failedFuture(
          new FunctionException(
              FunctionException.UNKNOWN_FUNCTION,
              "node '" + nodeId + "' of " + key + " is not a function call",
              false));
    }
    InstanceLog.debug(
        LOG, instanceId, nodeId, "dispatch {} {} attempt {}", instanceId, nodeId, attempt);
    java.util.concurrent.atomic.AtomicInteger active = ctx.activeCalls;
    active.incrementAndGet();
    CompletionStage<JsonNode> result;
    try {
      result = invoke(t, instanceId, nodeId, input, attempt, deadlineNanos, callKey);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.whenComplete((out, ex) -> active.decrementAndGet());
  }

  private static CompletionStage<JsonNode> invoke(
      Trigger t,
      String instanceId,
      String nodeId,
      JsonNode input,
      int attempt,
      long deadlineNanos,
      io.sluice.runtime.CallKey callKey) {
    return t.runtime.invoke(
        new Invocation(
            t.function,
            input,
            deadlineNanos,
            instanceId,
            nodeId,
            attempt,
            t.node.options().hints(),
            null,
            callKey));
  }

  /** The function node's trigger, searching nested graphs (map items, loop bodies) too. */
  private static Trigger functionTrigger(CompiledWorkflow wf, String nodeId) {
    Integer k = wf.indexOf.get(nodeId);
    if (k != null && wf.triggers[k].runtime != null) {
      return wf.triggers[k];
    }
    for (Trigger t : wf.triggers) {
      if (t.child != null) {
        Trigger inner = functionTrigger(t.child, nodeId);
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }
}
