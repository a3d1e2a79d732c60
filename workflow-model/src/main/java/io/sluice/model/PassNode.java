package io.sluice.model;

/**
 * Does no work: its output is its (mapped) input. Used for joins, for reshaping data and for the
 * pseudo-nodes of imported formats.
 */
public record PassNode(String id, NodeOptions options) implements Node {
  public PassNode {
    Ids.check(id);
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  @Override
  public String kind() {
    return "pass";
  }

  @Override
  public PassNode withOptions(NodeOptions o) {
    return new PassNode(id, o);
  }
}
