package io.sluice.model;

/**
 * A terminal. A succeeding end ends its path (its output is its input); a failing end fails the
 * whole instance at once with {@code error} and {@code cause}.
 */
public record EndNode(String id, boolean fail, String error, String cause, NodeOptions options)
    implements Node {
  public EndNode {
    Ids.check(id);
    options = options == null ? NodeOptions.DEFAULT : options;
    if (fail && (error == null || error.isBlank())) {
      error = "WorkflowFailed";
    }
  }

  public static EndNode succeed(String id) {
    return new EndNode(id, false, null, null, NodeOptions.DEFAULT);
  }

  @Override
  public String kind() {
    return "end";
  }

  @Override
  public EndNode withOptions(NodeOptions o) {
    return new EndNode(id, fail, error, cause, o);
  }
}
