package io.sluice.dsl;

import io.sluice.model.EndNode;
import io.sluice.model.NodeOptions;
import java.util.List;

/** Ends its path (or, failing, the whole instance); nothing can follow it. */
public final class EndStep extends NodeStep<EndStep> {
  private final boolean fail;
  private final String error;
  private final String cause;

  EndStep(String id, boolean fail, String error, String cause) {
    super(id);
    this.fail = fail;
    this.error = error;
    this.cause = cause;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    a.put(new EndNode(id, fail, error, cause, options));
    return new Fragment(List.of(id), List.of());
  }
}
