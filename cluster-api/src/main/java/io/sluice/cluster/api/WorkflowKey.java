package io.sluice.cluster.api;

import java.util.Objects;

/** A deployed workflow version: what a worker's triggers are compiled from. */
public record WorkflowKey(String name, String version) {
  public WorkflowKey {
    Objects.requireNonNull(name, "workflow name");
    Objects.requireNonNull(version, "workflow version");
  }

  @Override
  public String toString() {
    return name + "@" + version;
  }
}
