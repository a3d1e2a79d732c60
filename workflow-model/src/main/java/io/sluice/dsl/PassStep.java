package io.sluice.dsl;

import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;

/** Does no work: passes its (mapped) input on; useful as a join point or to reshape data. */
public final class PassStep extends NodeStep<PassStep> {
  PassStep(String id) {
    super(id);
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    a.put(new PassNode(id, options));
    return Fragment.single(id);
  }
}
