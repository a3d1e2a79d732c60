package io.sluice.sdk;

/**
 * A registered workflow: its name and version. A null version means "the latest registered
 * version", which {@link SluiceClient#start} looks up with one ListWorkflows call.
 */
public record WorkflowId(String name, String version) {
  public WorkflowId {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a workflow id needs a name");
    }
    if (version != null && version.isBlank()) {
      version = null;
    }
  }

  /** {@code NAME} (the latest version) or {@code NAME@VERSION}. */
  public static WorkflowId parse(String text) {
    int at = text.lastIndexOf('@');
    return at < 0
        ? new WorkflowId(text, null)
        : new WorkflowId(text.substring(0, at), text.substring(at + 1));
  }

  public static WorkflowId of(String name, String version) {
    return new WorkflowId(name, version);
  }

  @Override
  public String toString() {
    return version == null ? name : name + "@" + version;
  }
}
