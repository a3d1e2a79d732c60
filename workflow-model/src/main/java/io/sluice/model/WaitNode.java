package io.sluice.model;

import java.time.Duration;
import java.util.Objects;

/** Waits for a timer, then passes its input on unchanged. */
public record WaitNode(String id, Duration duration, NodeOptions options) implements Node {
  public WaitNode {
    Ids.check(id);
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("wait duration must not be negative: " + duration);
    }
    options = options == null ? NodeOptions.DEFAULT : options;
  }

  @Override
  public String kind() {
    return "wait";
  }

  @Override
  public WaitNode withOptions(NodeOptions o) {
    return new WaitNode(id, duration, o);
  }
}
