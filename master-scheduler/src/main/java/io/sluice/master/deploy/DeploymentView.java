package io.sluice.master.deploy;

import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.partition.Placement;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.model.GraphIndex;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One deployment as it stands: the key workers compiled it under, the registered workflow, the
 * binding, where every node runs, and the workers that received it (every live worker then). An
 * instance keeps the view it started with. What every instance start needs (the workers holding
 * nodes, each one's entry nodes) is computed once here, not per instance: on a 1,000-task trace
 * that walk costs more than the instance's own scheduling.
 */
public final class DeploymentView {
  private final WorkflowKey key;
  private final RegisteredWorkflow workflow;
  private final Binding binding;
  private final Placement placement;
  private final Map<String, WorkerInfo> workers;
  private final Set<String> holders;
  private final Map<String, List<String>> entries;

  public DeploymentView(
      WorkflowKey key,
      RegisteredWorkflow workflow,
      Binding binding,
      Placement placement,
      Map<String, WorkerInfo> workers) {
    this.key = key;
    this.workflow = workflow;
    this.binding = binding;
    this.placement = placement;
    this.workers = Map.copyOf(workers);
    this.holders = Collections.unmodifiableSet(new TreeSet<>(placement.nodesPerWorker().keySet()));
    WorkflowGraph g = workflow.graph();
    Map<String, List<String>> byWorker = new HashMap<>();
    for (String n : GraphIndex.of(g).entries(g)) {
      String w = placement.workerOf(n);
      if (w != null) {
        byWorker.computeIfAbsent(w, x -> new ArrayList<>()).add(n);
      }
    }
    byWorker.replaceAll((w, l) -> List.copyOf(l));
    this.entries = Map.copyOf(byWorker);
  }

  public WorkflowKey key() {
    return key;
  }

  public RegisteredWorkflow workflow() {
    return workflow;
  }

  public Binding binding() {
    return binding;
  }

  public Placement placement() {
    return placement;
  }

  public Map<String, WorkerInfo> workers() {
    return workers;
  }

  /** The workers that hold at least one node, by id. */
  public Set<String> holders() {
    return holders;
  }

  /** The workflow's entry nodes placed on {@code workerId}, in graph order. */
  public List<String> entriesOn(String workerId) {
    return entries.getOrDefault(workerId, List.of());
  }

  public WorkerInfo worker(String id) {
    WorkerInfo w = workers.get(id);
    if (w == null) {
      throw new IllegalStateException("deployment " + key + " has no worker " + id);
    }
    return w;
  }

  @Override
  public String toString() {
    return "DeploymentView[" + key + " on " + holders + "]";
  }
}
