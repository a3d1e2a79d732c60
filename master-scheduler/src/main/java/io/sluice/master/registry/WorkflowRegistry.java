package io.sluice.master.registry;

import io.sluice.cluster.api.NotFoundException;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.security.FunctionChecks;
import io.sluice.engine.Definitions;
import io.sluice.master.partition.HintRefiner;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.SourceDocument;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.sw.SwWorkflows;
import io.sluice.runtime.FunctionRegistry;
import io.sluice.runtime.security.FunctionAllowList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The workflow versions the master holds, by name@version. Registration parses and checks the
 * definition (every problem at once, {@code FILE:LINE: node: message}); whether its functions can
 * be bound is checked per invocation, when the binding (registry, synthetic) is known.
 */
public final class WorkflowRegistry {
  /** What a registration did. */
  public record Registration(RegisteredWorkflow workflow, List<String> warnings) {}

  private final Map<WorkflowKey, RegisteredWorkflow> workflows =
      new ConcurrentSkipListMap<>(
          java.util.Comparator.comparing(WorkflowKey::name).thenComparing(WorkflowKey::version));

  private final java.util.Set<WorkflowKey> retired =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Parses and validates a definition and keeps it; throws {@link
   * io.sluice.model.DefinitionException} with every problem.
   */
  public Registration register(
      String fileName,
      String text,
      String formatHint,
      String registryText,
      String registryFileName,
      long nowMillis) {
    return register(fileName, text, formatHint, registryText, registryFileName, nowMillis, g -> {});
  }

  /**
   * {@link #register(String, String, String, String, String, long)}, with {@code admit} checking
   * the parsed graph (e.g. its node count) before anything is kept; it throws to refuse.
   */
  public Registration register(
      String fileName,
      String text,
      String formatHint,
      String registryText,
      String registryFileName,
      long nowMillis,
      java.util.function.Consumer<WorkflowGraph> admit) {
    return register(
        fileName,
        text,
        formatHint,
        registryText,
        registryFileName,
        nowMillis,
        admit,
        false,
        FunctionAllowList.ANY);
  }

  /**
   * As above, registered by an admin ({@code trusted}: any function may run) or not: then every
   * function of the definition and the registry must be allowed by {@code allow}, else
   * PERMISSION_DENIED names each one that is not (docs/security.md, "What functions may run").
   */
  public Registration register(
      String fileName,
      String text,
      String formatHint,
      String registryText,
      String registryFileName,
      long nowMillis,
      java.util.function.Consumer<WorkflowGraph> admit,
      boolean trusted,
      FunctionAllowList allow) {
    if (fileName == null || fileName.isBlank()) {
      throw new IllegalArgumentException(
          "missing field source.file_name: name the definition's file (e.g. flat_workflow.yaml),"
              + " it decides the format and appears in error locations");
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("missing field source.definition_text (empty definition)");
    }
    List<SwWorkflows.Source> subworkflows = new ArrayList<>();
    WorkflowGraph graph = load(fileName, text, subworkflows);
    admit.accept(graph);
    FunctionRegistry registry = FunctionRegistry.empty();
    String regText = registryText == null ? "" : registryText;
    String regFile =
        registryFileName == null || registryFileName.isBlank()
            ? "functions.yaml"
            : registryFileName;
    if (!regText.isBlank()) {
      registry = FunctionRegistry.read(SourceDocument.parse(regFile, regText));
    }
    if (!trusted) {
      FunctionChecks.check(
          allow,
          graph,
          registry.functions().values(),
          "registering " + graph.name() + "@" + graph.version() + " without the admin role");
    }
    // Structure only: whether unknown functions run synthetic is decided per invocation.
    Definitions.validate(graph, name -> true);
    List<String> warnings = new ArrayList<>();
    if (formatHint != null && !formatHint.isBlank()) {
      warnings.add(
          "format_hint '"
              + formatHint
              + "' ignored: the format is detected from "
              + fileName
              + " and its content");
    }
    WorkflowKey key = new WorkflowKey(graph.name(), graph.version());
    RegisteredWorkflow wf =
        new RegisteredWorkflow(
            key,
            graph,
            text,
            fileName,
            formatHint == null ? "" : formatHint,
            regText,
            regText.isBlank() ? "" : regFile,
            registry,
            nowMillis,
            new HintRefiner(),
            trusted,
            List.copyOf(subworkflows));
    RegisteredWorkflow old = workflows.get(key);
    if (old != null && old.sameDefinition(wf)) {
      return new Registration(old, warnings);
    }
    if (old != null) {
      warnings.add(
          "replaced the earlier definition of " + key + "; instances already running keep theirs");
    }
    workflows.put(key, wf);
    return new Registration(wf, warnings);
  }

  /**
   * Reads a definition with this registry's Serverless Workflow definitions in effect for its
   * {@code run: workflow} tasks; {@code used} (if not null) receives the registered sources they
   * resolved to, which the workers that read the same text are sent with it.
   */
  public WorkflowGraph load(String fileName, String text, List<SwWorkflows.Source> used) {
    return SwWorkflows.using(swWorkflows, used, () -> new WorkflowLoader().load(fileName, text));
  }

  /**
   * The registered Serverless Workflow definitions, for {@code run: workflow}: those named so (the
   * graph's name is the document's name) whose document has the namespace, retired versions left
   * out.
   */
  private final SwWorkflows swWorkflows =
      new SwWorkflows() {
        @Override
        public List<SwWorkflows.Source> find(String namespace, String name) {
          List<SwWorkflows.Source> out = new ArrayList<>();
          for (RegisteredWorkflow w : workflows.values()) {
            if (!w.key().name().equals(name) || retired(w.key())) {
              continue;
            }
            SwWorkflows.Source s = new SwWorkflows.Source(w.fileName(), w.sourceText());
            com.fasterxml.jackson.databind.JsonNode doc = SwWorkflows.document(s);
            if (doc != null && doc.path("namespace").asText().equals(namespace)) {
              out.add(s);
            }
          }
          return out;
        }

        @Override
        public String where() {
          return "the master's registry (Serverless Workflow definitions registered by"
              + " namespace, name and version)";
        }
      };

  /**
   * Retires a registered version ({@code on}) or takes it back ({@code on} false); answers whether
   * it is retired now. A retired version refuses new instances; running ones finish. Kept in memory
   * (a durable master also records it in the journal, see MasterReload).
   */
  public boolean retire(WorkflowKey key, boolean on) {
    get(key); // NOT_FOUND naming what is registered
    if (on) {
      retired.add(key);
    } else {
      retired.remove(key);
    }
    return on;
  }

  /** Whether {@code key} is retired. */
  public boolean retired(WorkflowKey key) {
    return retired.contains(key);
  }

  /**
   * The workflows whose name starts with {@code prefix}, by name then version: every version when
   * {@code allVersions}, else the latest registered of each name (the latest not retired, unless
   * {@code includeRetired}); retired versions only when {@code includeRetired}.
   */
  public List<RegisteredWorkflow> list(String prefix, boolean allVersions, boolean includeRetired) {
    List<RegisteredWorkflow> matching =
        list(prefix).stream().filter(w -> includeRetired || !retired(w.key())).toList();
    if (allVersions) {
      return matching;
    }
    Map<String, RegisteredWorkflow> latest = new java.util.LinkedHashMap<>();
    for (RegisteredWorkflow w : matching) {
      latest.merge(w.key().name(), w, (a, b) -> later(a, b) ? a : b);
    }
    return List.copyOf(latest.values());
  }

  /**
   * Whether {@code a} is the later of two versions: registered later, or at the same time (a
   * restarted master registers everything at once) the greater version, numerically when both are
   * numbers.
   */
  private static boolean later(RegisteredWorkflow a, RegisteredWorkflow b) {
    if (a.registeredAtMillis() != b.registeredAtMillis()) {
      return a.registeredAtMillis() > b.registeredAtMillis();
    }
    String va = a.key().version();
    String vb = b.key().version();
    if (va.matches("\\d{1,18}") && vb.matches("\\d{1,18}")) {
      return Long.parseLong(va) > Long.parseLong(vb);
    }
    return va.compareTo(vb) > 0;
  }

  public Optional<RegisteredWorkflow> find(WorkflowKey key) {
    return Optional.ofNullable(workflows.get(key));
  }

  /** The workflow, or an error naming what is registered. */
  public RegisteredWorkflow get(WorkflowKey key) {
    RegisteredWorkflow wf = workflows.get(key);
    if (wf == null) {
      throw new NotFoundException(
          "no workflow "
              + key
              + " is registered (registered: "
              + workflows.keySet()
              + "); register it first (sluice submit does)");
    }
    return wf;
  }

  /** Every workflow whose name starts with {@code prefix}, by name then version. */
  public List<RegisteredWorkflow> list(String prefix) {
    String p = prefix == null ? "" : prefix;
    return workflows.values().stream().filter(w -> w.key().name().startsWith(p)).toList();
  }
}
