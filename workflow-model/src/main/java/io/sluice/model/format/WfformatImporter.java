package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Imports WfCommons workflow traces (WfFormat 1.5 and later, 1.4, and the WorkflowHub schemas
 * before it): every task becomes a task node on the {@code synthetic} runtime with the trace's
 * runtime, output size, memory and cores as hints; parent/child links become edges carrying the
 * bytes of the files they pass. See docs/importers.md for the whole mapping.
 */
public final class WfformatImporter implements WorkflowImporter {

  @Override
  public String format() {
    return "wfformat";
  }

  @Override
  public boolean accepts(SourceDocument doc) {
    JsonNode root = doc.root();
    return root != null
        && root.isObject()
        && root.has("schemaVersion")
        && root.path("workflow").isObject();
  }

  @Override
  public WorkflowGraph read(SourceDocument doc) {
    List<Problem> problems = new ArrayList<>();
    JsonNode root = doc.root();
    JsonNode workflow = root == null ? null : root.get("workflow");
    if (workflow == null || !workflow.isObject()) {
      throw new DefinitionException(
          new Problem(doc.locate(root), null, "a WfCommons trace needs a 'workflow' object"));
    }
    WfformatFields fields = new WfformatFields(doc, problems);
    WfformatTrace trace;
    if (workflow.path("specification").isObject()) {
      trace = new Wfformat15Reader(fields).read(workflow);
    } else if (workflow.path("tasks").isArray() || workflow.path("jobs").isArray()) {
      JsonNode tasks =
          workflow.path("tasks").isArray() ? workflow.get("tasks") : workflow.get("jobs");
      trace = new Wfformat14Reader(fields).read(tasks);
    } else {
      throw new DefinitionException(
          new Problem(
              doc.locate(workflow),
              null,
              "no tasks: expected workflow.specification.tasks (schema 1.5+) or workflow.tasks"
                  + " / workflow.jobs (schema 1.4 and older)"));
    }
    if (trace.tasks.isEmpty() && problems.isEmpty()) {
      problems.add(new Problem(doc.locate(workflow), null, "the trace has no tasks"));
    }
    WfformatGraphBuilder graph = new WfformatGraphBuilder(doc, problems);
    graph.build(trace);
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(x -> x.location().line()));
      throw new DefinitionException(problems);
    }
    String name = WfformatFields.text(root, "name");
    return new WorkflowGraph(
        name != null ? name : WorkflowNames.fileStem(doc.file()),
        "1",
        graph.nodes,
        graph.edges,
        List.of(),
        graph.functions,
        null,
        doc.locate(root));
  }
}
