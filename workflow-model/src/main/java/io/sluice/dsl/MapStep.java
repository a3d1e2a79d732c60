package io.sluice.dsl;

import io.sluice.model.MapNode;
import io.sluice.model.NodeOptions;
import io.sluice.model.WorkflowGraph;

/** Runs an iterator once per element of a jq-selected array; output is the array of results. */
public final class MapStep extends NodeStep<MapStep> {
  private final String items;
  private final WorkflowGraph iterator;
  private int maxConcurrency;

  MapStep(String id, String items, WorkflowGraph iterator) {
    super(id);
    this.items = items;
    this.iterator = iterator;
  }

  /** At most this many iterations at a time (0 = no limit). */
  public MapStep maxConcurrency(int limit) {
    this.maxConcurrency = limit;
    return this;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    a.put(new MapNode(id, a.expr(items), iterator, maxConcurrency, options));
    return Fragment.single(id);
  }
}
