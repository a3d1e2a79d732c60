package io.sluice.cluster.security;

import io.grpc.Status;
import io.sluice.cluster.config.SecurityConfig;
import io.sluice.model.FunctionDef;
import io.sluice.model.GraphWalk;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.security.FunctionAllowList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The master's and the worker's check of a workflow not registered by an admin (docs/security.md,
 * "What functions may run"): every function it declares (at any depth of nesting) and every one of
 * the function registry sent with it must be allowed by {@code security.allow}; else the
 * registration or deployment is refused with PERMISSION_DENIED naming each function that is not.
 */
public final class FunctionChecks {
  private FunctionChecks() {}

  /** The cluster's allow-list ({@link FunctionAllowList#ANY} for {@code security: none}). */
  public static FunctionAllowList allowList(SecurityConfig security) {
    SecurityConfig.Allow a = security.allow();
    if (a.any()) {
      return FunctionAllowList.ANY;
    }
    return FunctionAllowList.of(a.commands(), a.images(), a.classes(), a.http(), a.cloud());
  }

  /**
   * Throws PERMISSION_DENIED naming every function of {@code graph} and {@code registry} that
   * {@code allow} does not allow; {@code where} says what was refused (e.g. "registering order@1").
   */
  public static void check(
      FunctionAllowList allow,
      WorkflowGraph graph,
      Collection<FunctionDef> registry,
      String where) {
    if (allow.any()) {
      return;
    }
    List<FunctionDef> all = new ArrayList<>(registry);
    GraphWalk.graphs(graph).forEach(g -> all.addAll(g.graph().functions().values()));
    List<String> refused = allow.refusals(all).stream().distinct().toList();
    if (!refused.isEmpty()) {
      throw Status.PERMISSION_DENIED
          .withDescription(where + ": " + String.join("; ", refused))
          .asRuntimeException();
    }
  }
}
