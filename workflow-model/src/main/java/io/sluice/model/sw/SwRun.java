package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.NodeOptions;
import io.sluice.model.SubWorkflowNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.SourceDocument;
import io.sluice.model.format.WorkflowLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code run: workflow}: a sub-workflow node running the definition beside this one (same folder,
 * {@code .yaml}, {@code .yml} or {@code .json}), or registered on the cluster ({@link SwWorkflows},
 * when the master reads the definition), whose {@code document} has the namespace, name and version
 * asked for ({@code latest}: the greatest version of either; a file wins a tie). Its input is
 * {@code workflow.input} (evaluated on the task's input) or the task's input; its output is the
 * task's raw output. {@code container}, {@code script} and {@code shell} are not supported, nor
 * {@code await: false}.
 */
final class SwRun {
  private final SwCompiler c;

  SwRun(SwCompiler c) {
    this.c = c;
  }

  void run(SwFrame f, SwTask t, String id, String next) {
    c.keys(t, Set.of("run"));
    JsonNode run = t.def().get("run");
    JsonNode wf = run.get("workflow");
    if (wf == null) {
      c.problem(t, "run: only workflow is supported (not container, script or shell)");
      return;
    }
    if (!run.path("await").asBoolean(true)) {
      c.problem(t, "run: await: false is not supported");
    }
    String ns = wf.path("namespace").asText();
    String name = wf.path("name").asText();
    String version = wf.path("version").asText("latest");
    Path self = Path.of(c.doc.file()).toAbsolutePath().normalize();
    Path dir = self.getParent();
    Path found = null;
    String foundVersion = null;
    if (dir != null && Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.sorted().toList()) {
          String n = p.getFileName().toString();
          if (p.equals(self)
              || !(n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"))) {
            continue;
          }
          JsonNode doc;
          try {
            doc = SourceDocument.read(p).root().path("document");
          } catch (DefinitionException e) {
            continue; // not a definition: not a candidate
          }
          String v = doc.path("version").asText();
          if (doc.path("namespace").asText().equals(ns)
              && doc.path("name").asText().equals(name)
              && (version.equals("latest")
                  ? foundVersion == null || newer(v, foundVersion)
                  : v.equals(version))) {
            found = p;
            foundVersion = v;
          }
        }
      } catch (IOException e) {
        c.problem(t, "run: cannot list " + dir + ": " + e.getMessage());
        return;
      }
    }
    SwWorkflowScope scope = SwWorkflowScope.current();
    SwWorkflows.Source registered = null;
    if (scope != null) {
      for (SwWorkflows.Source s : scope.workflows.find(ns, name)) {
        JsonNode doc = SwWorkflows.document(s);
        String v = doc == null ? null : doc.path("version").asText();
        if (v != null
            && (version.equals("latest")
                ? foundVersion == null || newer(v, foundVersion)
                : foundVersion == null && v.equals(version))) {
          found = null; // a file beside the definition wins a tie
          registered = s;
          foundVersion = v;
        }
      }
    }
    if (found == null && registered == null) {
      c.problem(
          t,
          "run: workflow "
              + ns
              + "/"
              + name
              + ":"
              + version
              + " not found among the definitions beside this one ("
              + dir
              + ")"
              + (scope == null ? "" : " nor in " + scope.workflows.where()));
      return;
    }
    WorkflowGraph g;
    try {
      g = registered == null ? new WorkflowLoader().load(found) : load(t, registered, scope);
    } catch (DefinitionException e) {
      c.problems.addAll(e.problems());
      return;
    }
    if (g == null) {
      return;
    }
    NodeOptions o = c.options(f, t);
    JsonNode input = wf.get("input");
    if (input != null) {
      JsonNode from = t.def().path("input").get("from");
      String in = SwExpr.pipe(from == null ? null : SwExpr.loose(from), SwExpr.literal(input));
      o = o.withInput(c.expr(SwExpr.wrap(f.scope, t, true, in), t));
    }
    SubWorkflowNode sub = new SubWorkflowNode(id, g, o.withOutput(c.output(f, t, null)));
    c.foreign.add(sub);
    f.add(sub);
    if (next != null) {
      f.edge(id, next);
    }
  }

  /** Reads a registered definition, refusing one that runs itself (through others or not). */
  private WorkflowGraph load(SwTask t, SwWorkflows.Source s, SwWorkflowScope scope) {
    JsonNode doc = SwWorkflows.document(s);
    String key =
        doc.path("namespace").asText()
            + "/"
            + doc.path("name").asText()
            + ":"
            + doc.path("version").asText();
    java.util.Deque<String> resolving = SwWorkflowScope.resolving();
    if (resolving.contains(key)) {
      c.problem(
          t,
          "run: workflow cycle among registered workflows: "
              + String.join(" -> ", resolving)
              + " -> "
              + key);
      return null;
    }
    scope.used(s);
    resolving.addLast(key);
    try {
      return new WorkflowLoader().load(s.fileName(), s.text());
    } finally {
      resolving.removeLast();
    }
  }

  /** Versions compare by their dot-separated numbers where they are numbers, else as text. */
  static boolean newer(String a, String b) {
    Comparator<String> part =
        (x, y) ->
            x.matches("\\d+") && y.matches("\\d+")
                ? new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y))
                : x.compareTo(y);
    List<String> pa = List.of(a.split("\\."));
    List<String> pb = List.of(b.split("\\."));
    for (int i = 0; i < Math.min(pa.size(), pb.size()); i++) {
      int d = part.compare(pa.get(i), pb.get(i));
      if (d != 0) {
        return d > 0;
      }
    }
    return pa.size() > pb.size();
  }
}
