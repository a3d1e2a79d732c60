package io.sluice.dsl;

import io.sluice.model.NodeOptions;
import io.sluice.model.WaitNode;
import java.time.Duration;

/** Waits for a timer, then passes its input on. */
public final class WaitStep extends NodeStep<WaitStep> {
  private final Duration duration;

  WaitStep(String id, Duration duration) {
    super(id);
    this.duration = duration;
  }

  @Override
  Fragment build(NodeOptions options, Assembly a) {
    a.put(new WaitNode(id, duration, options));
    return Fragment.single(id);
  }
}
