package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Sluice's own definition format (YAML or JSON), detected by its top-level {@code sluice:
 * "1.0"} key. Every structural problem of the document is collected and thrown at once as a {@link
 * DefinitionException}; graph-level checks are {@link
 * io.sluice.model.validate.WorkflowValidator}'s. See docs/definition-format.md.
 */
public final class NativeImporter implements WorkflowImporter {
  /** The format version this reader reads (any 1.x). */
  public static final String FORMAT_VERSION = "1.0";

  @Override
  public String format() {
    return "sluice";
  }

  @Override
  public boolean accepts(SourceDocument doc) {
    return doc.root() != null && doc.root().isObject() && doc.root().has("sluice");
  }

  @Override
  public WorkflowGraph read(SourceDocument doc) {
    doc.requireUniqueKeys();
    List<Problem> problems = new ArrayList<>();
    JsonNode root = doc.root();
    if (root == null || !root.isObject()) {
      throw new DefinitionException(
          new Problem(doc.locate(root), null, "a Sluice workflow must be an object (a mapping)"));
    }
    FieldReader f = new FieldReader(doc, problems);
    String v = f.text(root, "sluice", null, true);
    if (v != null && !v.matches("1(\\.\\d+)*")) {
      f.problem(
          root,
          "sluice",
          null,
          "unsupported format version 'sluice: " + v + "'; this reader reads 1.x");
    }
    WorkflowGraph g = new GraphReader(f).read(root, null, "", true);
    if (!problems.isEmpty()) {
      // In line order (stable), this file's problems before those of the files it includes.
      problems.sort(
          java.util.Comparator.<Problem>comparingInt(
                  p -> p.location().file().equals(doc.file()) ? 0 : 1)
              .thenComparingInt(p -> p.location().line()));
      throw new DefinitionException(problems);
    }
    return g;
  }
}
