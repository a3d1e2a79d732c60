package io.sluice.model.format;

import io.sluice.model.WorkflowGraph;

/**
 * Translates one definition format into the workflow graph. Implementations are listed in {@link
 * WorkflowLoader}; the format of a file is detected from its content, not its name.
 */
public interface WorkflowImporter {

  /** A short name of the format ({@code sluice}, {@code faasflow}, {@code wfformat}). */
  String format();

  /** Whether the document looks like this format (cheap; looks at top-level keys only). */
  boolean accepts(SourceDocument doc);

  /**
   * Builds the graph; throws {@link io.sluice.model.DefinitionException} with every problem found
   * in the document's structure. Graph-level checks (cycles, dangling edges...) are the
   * validator's.
   */
  WorkflowGraph read(SourceDocument doc);
}
