package io.sluice.master.auth;

import io.sluice.cluster.security.Role;
import java.util.Map;

/**
 * The least role each WorkflowService call needs; a call not listed (a new one) needs {@code admin}
 * until it is placed here.
 */
public final class RpcRoles {
  private static final Map<String, Role> LEAST =
      Map.ofEntries(
          Map.entry("RegisterWorkflow", Role.SUBMIT),
          Map.entry("Invoke", Role.SUBMIT),
          Map.entry("InvokeAndWait", Role.SUBMIT),
          Map.entry("SendEvent", Role.SUBMIT),
          Map.entry("GetInstance", Role.SUBMIT),
          Map.entry("WatchInstance", Role.SUBMIT),
          Map.entry("GetHistory", Role.SUBMIT),
          Map.entry("GetLogs", Role.SUBMIT),
          Map.entry("ListWorkflows", Role.SUBMIT),
          Map.entry("GetPlacement", Role.SUBMIT),
          // a submit caller lists and reads only the instances it started (InstanceAccess)
          Map.entry("ListInstances", Role.SUBMIT),
          Map.entry("Cancel", Role.OPERATE),
          Map.entry("Redrive", Role.OPERATE),
          Map.entry("RetireWorkflow", Role.OPERATE),
          Map.entry("DrainWorker", Role.ADMIN));

  private RpcRoles() {}

  /** The least role that may call {@code method} (its bare name). */
  public static Role needed(String method) {
    return method == null ? Role.ADMIN : LEAST.getOrDefault(method, Role.ADMIN);
  }
}
