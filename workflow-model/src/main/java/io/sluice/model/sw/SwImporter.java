package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.Expr;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.SourceDocument;
import io.sluice.model.format.WorkflowImporter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Imports CNCF Serverless Workflow DSL 1.0.x definitions ({@code document.dsl} 1.0.0 to 1.0.3): the
 * task list becomes Sluice's static graph, runtime expressions ({@code ${ … }}, jq) become the
 * nodes' jq mappings with the DSL's arguments bound, and whatever is not supported is a problem at
 * its line, never ignored. See docs/importers.md for the mapping and the gaps.
 */
public final class SwImporter implements WorkflowImporter {
  private static final Set<String> VERSIONS = Set.of("1.0.0", "1.0.1", "1.0.2", "1.0.3");
  private static final Set<String> TOP =
      Set.of("document", "input", "use", "do", "timeout", "output", "schedule", "evaluate");

  @Override
  public String format() {
    return "serverless-workflow";
  }

  @Override
  public boolean accepts(SourceDocument doc) {
    JsonNode root = doc.root();
    return root != null
        && root.isObject()
        && root.path("document").isObject()
        && root.path("document").has("dsl")
        && !root.has("sluice");
  }

  @Override
  public WorkflowGraph read(SourceDocument doc) {
    List<Problem> problems = new ArrayList<>();
    JsonNode root = doc.root();
    JsonNode document = root.get("document");
    String dsl = document.path("dsl").asText();
    if (!VERSIONS.contains(dsl)) {
      throw new DefinitionException(
          new Problem(
              doc.locate(document, "dsl"),
              null,
              "document.dsl '" + dsl + "' is not supported: this importer reads 1.0.0 to 1.0.3"));
    }
    root.fieldNames()
        .forEachRemaining(
            k -> {
              if (!TOP.contains(k)) {
                problems.add(
                    new Problem(doc.locate(root, k), null, "unknown top-level key '" + k + "'"));
              }
            });
    io.sluice.model.WorkflowSchedule schedule = SwSchedule.read(doc, root, problems);
    JsonNode use = root.path("use");
    for (String k : List.of("authentications", "extensions", "secrets", "catalogs", "timeouts")) {
      unsupported(doc, use, k, "use." + k + " is not supported", problems);
    }
    String lang = root.path("evaluate").path("language").asText("jq");
    if (!lang.equals("jq")) {
      problems.add(
          new Problem(
              doc.locate(root, "evaluate"), null, "evaluate.language " + lang + ": only jq"));
    }
    if (!root.path("do").isArray()) {
      throw new DefinitionException(
          new Problem(doc.locate(root), null, "a Serverless Workflow needs a 'do' task list"));
    }
    boolean ctx = exports(root.get("do"));
    SwScope top = new SwScope(false, List.of(), "{document: " + document + "}", ctx);
    SwFrame f = new SwFrame(top);
    SwCompiler c = new SwCompiler(doc, problems, use);
    String input = inputNode(doc, root, f, problems);
    String first = c.list(f, c.tasks(root.get("do"), "/do"), null, null);
    if (input != null) {
      if (first != null) {
        f.edge(input, first);
      }
      f.start = input;
    } else {
      f.start = first;
    }
    Expr output = null;
    JsonNode as = root.path("output").get("as");
    if (as != null) {
      output = new Expr(SwExpr.wrap(top, null, true, SwExpr.loose(as)), doc.locate(root, "output"));
    }
    unsupported(doc, root.path("output"), "schema", "output.schema is not supported", problems);
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(p -> p.location().line()));
      throw new DefinitionException(problems);
    }
    String name = document.path("name").asText(stem(doc.file()));
    String version = document.path("version").asText("1");
    WorkflowGraph g = f.build(name, version, output, doc.locate(root));
    if (ctx) {
      c.foreign.forEach(c.context::opaque);
      g = io.sluice.model.format.ContextThreading.apply(g, c.context);
    }
    return (root.has("timeout") ? withTimeout(doc, root, g) : g).withSchedule(schedule);
  }

  /**
   * Whether some task of the list (at any depth) has {@code export.as}: then the context threads.
   */
  private static boolean exports(JsonNode v) {
    if (v == null) {
      return false;
    }
    if (v.isObject() && v.path("export").has("as")) {
      return true;
    }
    for (JsonNode c : v) {
      if (exports(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A workflow {@code timeout}: the translated graph runs as the one sub-workflow node {@code
   * __workflow} of the graph returned, with that timeout (a running instance past it fails with
   * {@code Timeout}, the DSL's {@code timeout} error). Inside, {@code $workflow} is the same input.
   */
  private static WorkflowGraph withTimeout(SourceDocument doc, JsonNode root, WorkflowGraph g) {
    JsonNode t = root.get("timeout");
    JsonNode after = t.has("after") ? t.get("after") : t;
    java.time.Duration d = null;
    if (after.isTextual() && !SwExpr.isExpr(after)) {
      try {
        d = java.time.Duration.parse(after.asText().strip());
      } catch (java.time.format.DateTimeParseException e) {
        d = null;
      }
    } else if (after.isObject()) {
      d =
          java.time.Duration.ofDays(after.path("days").asLong())
              .plusHours(after.path("hours").asLong())
              .plusMinutes(after.path("minutes").asLong())
              .plusSeconds(after.path("seconds").asLong())
              .plusMillis(after.path("milliseconds").asLong());
    }
    if (d == null || d.isZero() || d.isNegative()) {
      throw new DefinitionException(
          new Problem(
              doc.locate(root, "timeout"),
              null,
              "timeout: expected a positive ISO 8601 duration or {days, hours, minutes, seconds,"
                  + " milliseconds} (a name of use.timeouts is not supported)"));
    }
    io.sluice.model.Node wrap =
        new io.sluice.model.SubWorkflowNode(
            "__workflow",
            g,
            NodeOptions.DEFAULT.withTimeout(d).withLocation(doc.locate(root, "timeout")));
    return new WorkflowGraph(
        g.name(),
        g.version(),
        java.util.Map.of("__workflow", wrap),
        List.of(),
        List.of("__workflow"),
        java.util.Map.of(),
        null,
        g.location());
  }

  /**
   * The task a node of an imported graph stands for (helper nodes {@code TASK__what} belong to
   * TASK); null for a helper of no task ({@code __input}).
   */
  public static String taskOf(String nodeId) {
    return SwFrame.taskOf(nodeId);
  }

  /** The {@code __input} node applying the workflow's input.schema and input.from; or null. */
  private static String inputNode(
      SourceDocument doc, JsonNode root, SwFrame f, List<Problem> problems) {
    JsonNode input = root.get("input");
    if (input == null) {
      return null;
    }
    String jq = null;
    JsonNode schema = input.path("schema");
    if (schema.isObject()) {
      if (schema.has("resource") || !schema.path("format").asText("json").startsWith("json")) {
        problems.add(
            new Problem(doc.locate(schema), null, "input.schema: only an inline JSON schema"));
      }
      SwSchema s = new SwSchema();
      jq = s.check(schema.path("document"));
      if (!s.unsupported().isEmpty()) {
        problems.add(
            new Problem(
                doc.locate(schema),
                null,
                "input.schema keywords not supported: " + String.join(", ", s.unsupported())));
      }
    }
    JsonNode from = input.get("from");
    if (from != null) {
      jq = SwExpr.pipe(jq, SwExpr.wrap(f.scope, null, true, SwExpr.loose(from)));
    }
    if (jq == null) {
      return null;
    }
    String id = f.helper("", "input");
    f.add(new PassNode(id, NodeOptions.DEFAULT.withInput(new Expr(jq, doc.locate(input)))));
    return id;
  }

  private static String stem(String file) {
    String n = java.nio.file.Path.of(file).getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  private static void unsupported(
      SourceDocument doc, JsonNode obj, String key, String message, List<Problem> problems) {
    if (obj != null && obj.has(key)) {
      problems.add(new Problem(doc.locate(obj, key), null, message));
    }
  }
}
