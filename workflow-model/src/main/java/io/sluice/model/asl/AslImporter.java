package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.FunctionDef;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.SourceDocument;
import io.sluice.model.format.WorkflowImporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports Amazon States Language (AWS Step Functions), detected from a top-level object with {@code
 * StartAt} and {@code States}. The JSONPath data flow and intrinsic functions become jq (with the
 * {@code asl_*} functions of {@link AslJqFunctions}); Parallel branches and Map item processors
 * become inner workflows. What is not supported is a problem at its line, never ignored. See
 * docs/importers.md, "Amazon States Language".
 */
public final class AslImporter implements WorkflowImporter {

  @Override
  public String format() {
    return "asl";
  }

  @Override
  public boolean accepts(SourceDocument doc) {
    JsonNode root = doc.root();
    return root != null
        && root.isObject()
        && !root.has("sluice")
        && root.has("StartAt")
        && root.has("States");
  }

  @Override
  public WorkflowGraph read(SourceDocument doc) {
    List<Problem> problems = new ArrayList<>();
    AslLint.check(doc, problems);
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(p -> p.location().line()));
      throw new DefinitionException(problems);
    }
    Map<String, FunctionDef> functions = new LinkedHashMap<>();
    String name = name(doc.file());
    boolean vars = assigns(doc.root());
    AslMachine top =
        new AslMachine(
            doc,
            problems,
            functions,
            "",
            new AslContext("$workflow", name, null, null, vars),
            false);
    if (vars) {
      top.context = new io.sluice.model.format.ContextThreading.Spec("{}");
    }
    WorkflowGraph g = top.compile(doc.root(), name);
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(p -> p.location().line()));
      throw new DefinitionException(problems);
    }
    g =
        new WorkflowGraph(
            g.name(), g.version(), g.nodes(), g.edges(), g.start(), functions, null, g.location());
    return vars ? io.sluice.model.format.ContextThreading.apply(g, top.context) : g;
  }

  /** Whether some state (at any depth) has {@code Assign}: then the variables thread. */
  private static boolean assigns(com.fasterxml.jackson.databind.JsonNode v) {
    if (v.isObject() && v.has("Assign")) {
      return true;
    }
    for (com.fasterxml.jackson.databind.JsonNode c : v) {
      if (assigns(c)) {
        return true;
      }
    }
    return false;
  }

  /** The workflow's name: the file's name without its extension. */
  static String name(String file) {
    String base = Path.of(file).getFileName().toString();
    int dot = base.indexOf('.');
    String n = dot > 0 ? base.substring(0, dot) : base;
    return n.isEmpty() ? "asl" : n;
  }
}
