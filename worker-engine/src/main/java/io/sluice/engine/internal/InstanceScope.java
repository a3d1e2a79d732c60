package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.model.expr.ExpressionException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What an instance's surroundings decide: which nodes run here, where an edge goes, whether a
 * result must be exported first, what the end publishes. {@link EmbeddedScope}: everything is
 * local. {@link PartScope}: one worker's part of a partitioned instance (WorkerSP).
 */
interface InstanceScope {
  /** Whether node {@code k} runs here. */
  boolean local(int k);

  /** How many nodes run here. */
  int localCount(CompiledWorkflow wf);

  /** Which event an edge that resolved here, carrying {@code payload}, is for its table. */
  Edges.Event route(Instance inst, int edge, JsonNode payload);

  /** A LOCAL edge resolved with {@code payload} (null = skipped): count it as local data. */
  void countLocal(Instance inst, JsonNode payload);

  /** A REMOTE edge: send it to the target's worker. */
  void send(Instance inst, int edge, JsonNode payload);

  /** A BY_REFERENCE edge: fetch its value, then post it back as a FETCHED edge event. */
  void fetch(Instance inst, int edge, JsonNode payload);

  /**
   * The export node {@code k}'s result needs before its edges resolve (taking switch branch {@code
   * branch}), or null when none.
   */
  CompletableFuture<JsonNode> export(Instance inst, int k, JsonNode result, int branch);

  /** Holds a result while its export runs. */
  void hold(int k, JsonNode result, int branch);

  /** The export of node {@code k} gave {@code value}; returns the held result, if any. */
  NodeMachine.PendingExport exported(int k, JsonNode value);

  /** The output of the instance, from its sinks' results. */
  JsonNode output(Instance inst, Map<String, JsonNode> sinks) throws ExpressionException;

  /** The instance completed or failed (not cancelled). */
  void finished(Instance inst, InstanceState end, InstanceError err);

  /** The instance's mailbox is empty for now: send what its drain queued for other workers. */
  default void drained() {}

  /** The partition of a partitioned instance, else null. */
  Partition partition();
}
