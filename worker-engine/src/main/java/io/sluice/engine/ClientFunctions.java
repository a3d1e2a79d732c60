package io.sluice.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.GraphWalk;
import io.sluice.model.Location;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions a client binds a workflow to, as the registry it sends with the definition: the
 * registry file's functions, plus what only the client can supply —
 *
 * <ul>
 *   <li>the workflow's own functions whose {@code code} file the client read ({@code codeText}): a
 *       master or worker parses the definition text it is sent, which names the client's path, so
 *       the function with its code travels in the registry, which overrides the workflow's own
 *       declaration of the same name;
 *   <li>with synthetic functions in containers ({@code --synthetic-runtime docker}): every function
 *       the tasks call that binds to the {@code synthetic} runtime (declared so, as the FaaSFlow
 *       and WfCommons importers do, or declared nowhere under {@code --synthetic}), with the
 *       setting {@code container: docker}.
 * </ul>
 *
 * Nothing else changes: the definition text still goes as written. Limitation: names are global in
 * a registry, so a function declared differently by a nested workflow is bound by the outer
 * declaration when one of the two needs carrying.
 */
public final class ClientFunctions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientFunctions() {}

  /**
   * The registry to bind the workflow to.
   *
   * @param loaded the workflow and registry as {@link Definitions#read} loaded them (code inlined)
   * @param synthetic functions declared nowhere run on the synthetic runtime
   * @param syntheticContainer where synthetic functions run: {@code jvm} (null: the same) or {@code
   *     docker}
   */
  public static Map<String, FunctionDef> bind(
      Definitions.Loaded loaded, boolean synthetic, String syntheticContainer) {
    Map<String, FunctionDef> registry = loaded.registry().functions();
    Map<String, FunctionDef> out = new LinkedHashMap<>(registry);
    WorkflowGraph g = loaded.graph();
    for (FunctionDef f : g.functions().values()) {
      if (!registry.containsKey(f.name()) && f.settings().has(FunctionCode.CODE_TEXT)) {
        out.put(f.name(), f);
      }
    }
    if (syntheticContainer != null && !syntheticContainer.equals("jvm")) {
      GraphWalk.nodes(g)
          .forEach(
              n -> {
                if (!(n.node() instanceof TaskNode t)) {
                  return;
                }
                FunctionDef f = resolve(t.function(), out, g, n, synthetic);
                if (f != null && f.runtime().equals("synthetic")) {
                  ObjectNode s = f.settings().deepCopy();
                  if (!s.has("container")) {
                    s.put("container", syntheticContainer);
                  }
                  out.put(f.name(), new FunctionDef(f.name(), f.runtime(), s, f.location()));
                }
              });
    }
    return out;
  }

  /**
   * Whether the client must send {@code bound} rather than the registry file's text: it added
   * functions, or some function carries code read from a file (which the file's text only names).
   */
  public static boolean changed(Definitions.Loaded loaded, Map<String, FunctionDef> bound) {
    return !bound.equals(loaded.registry().functions())
        || bound.values().stream().anyMatch(f -> f.settings().has(FunctionCode.CODE_TEXT));
  }

  /** The functions as a registry file's text (JSON), for {@code function_registry_text}. */
  public static String registryText(Map<String, FunctionDef> functions) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode fs = root.putObject("functions");
    for (FunctionDef f : functions.values()) {
      ObjectNode e = fs.putObject(f.name());
      e.put("runtime", f.runtime());
      f.settings().properties().forEach(p -> e.set(p.getKey(), p.getValue()));
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The function a task calls, as the engine binds it: the registry first, then the workflows from
   * the node's own outwards, then the synthetic fallback (null if none).
   */
  static FunctionDef resolve(
      String name,
      Map<String, FunctionDef> bound,
      WorkflowGraph root,
      GraphWalk.NestedNode n,
      boolean synthetic) {
    FunctionDef f = bound.get(name);
    List<io.sluice.model.Node> enclosing = n.enclosing();
    for (int i = enclosing.size() - 1; f == null && i >= 0; i--) {
      WorkflowGraph scope = enclosing.get(i).innerGraph().orElse(null);
      f = scope == null ? null : scope.functions().get(name);
    }
    if (f == null) {
      f = root.functions().get(name);
    }
    if (f == null && synthetic) {
      f = new FunctionDef(name, "synthetic", null, Location.UNKNOWN);
    }
    return f;
  }
}
