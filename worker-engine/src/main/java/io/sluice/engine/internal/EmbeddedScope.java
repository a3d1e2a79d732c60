package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.InstanceError;
import io.sluice.cluster.api.InstanceState;
import io.sluice.engine.cluster.WorkflowOutputs;
import io.sluice.model.expr.ExpressionException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Every node runs here; edges resolve in place; the instance composes its own output. */
final class EmbeddedScope implements InstanceScope {
  static final EmbeddedScope INSTANCE = new EmbeddedScope();

  private EmbeddedScope() {}

  @Override
  public boolean local(int k) {
    return true;
  }

  @Override
  public int localCount(CompiledWorkflow wf) {
    return wf.size();
  }

  @Override
  public Edges.Event route(Instance inst, int edge, JsonNode payload) {
    return Edges.Event.LOCAL;
  }

  @Override
  public void countLocal(Instance inst, JsonNode payload) {}

  @Override
  public void send(Instance inst, int edge, JsonNode payload) {
    throw new IllegalStateException("an embedded instance has no remote edges");
  }

  @Override
  public void fetch(Instance inst, int edge, JsonNode payload) {
    throw new IllegalStateException("an embedded instance stores no values");
  }

  @Override
  public CompletableFuture<JsonNode> export(Instance inst, int k, JsonNode result, int branch) {
    return null;
  }

  @Override
  public void hold(int k, JsonNode result, int branch) {
    throw new IllegalStateException("an embedded instance exports nothing");
  }

  @Override
  public NodeMachine.PendingExport exported(int k, JsonNode value) {
    throw new IllegalStateException("an embedded instance exports nothing");
  }

  @Override
  public JsonNode output(Instance inst, Map<String, JsonNode> sinks) throws ExpressionException {
    return WorkflowOutputs.compose(inst.wf.graph, sinks, inst.input);
  }

  @Override
  public void finished(Instance inst, InstanceState end, InstanceError err) {}

  @Override
  public Partition partition() {
    return null;
  }
}
