package io.sluice.master.deploy;

import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.partition.Placement;
import io.sluice.master.registry.RegisteredWorkflow;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One deployment as it stands: the key workers compiled it under, the registered workflow, the
 * binding, where every node runs, and the workers that received it (every live worker then). An
 * instance keeps the view it started with.
 */
public record DeploymentView(
    WorkflowKey key,
    RegisteredWorkflow workflow,
    Binding binding,
    Placement placement,
    Map<String, WorkerInfo> workers) {
  public DeploymentView {
    workers = Map.copyOf(workers);
  }

  /** The workers that hold at least one node, by id. */
  public Set<String> holders() {
    return new TreeSet<>(placement.nodesPerWorker().keySet());
  }

  /** The entry nodes placed on {@code workerId}. */
  public List<String> entriesOn(String workerId, List<String> entries) {
    return entries.stream().filter(n -> workerId.equals(placement.workerOf(n))).toList();
  }

  public WorkerInfo worker(String id) {
    WorkerInfo w = workers.get(id);
    if (w == null) {
      throw new IllegalStateException("deployment " + key + " has no worker " + id);
    }
    return w;
  }
}
