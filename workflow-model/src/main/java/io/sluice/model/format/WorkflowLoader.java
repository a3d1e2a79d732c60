package io.sluice.model.format;

import io.sluice.model.DefinitionException;
import io.sluice.model.Location;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Reads a definition file of any known format: the first {@link WorkflowImporter} (found with
 * {@link ServiceLoader}) that accepts the document builds the graph. Register an importer in {@code
 * META-INF/services/io.sluice.model.format.WorkflowImporter}.
 */
public final class WorkflowLoader {
  /** Files being loaded on this thread, to stop a subworkflow that includes itself. */
  private static final ThreadLocal<Deque<Path>> INCLUDING =
      ThreadLocal.withInitial(ArrayDeque::new);

  private final List<WorkflowImporter> importers;

  public WorkflowLoader(List<WorkflowImporter> importers) {
    this.importers = List.copyOf(importers);
  }

  /** A loader with every importer registered on the class path. */
  public WorkflowLoader() {
    this(Discovered.IMPORTERS);
  }

  /**
   * The importers on the class path, looked up once: a {@link ServiceLoader} scan reads every jar's
   * service files, which costs more than reading a small definition (and every included file would
   * pay it again). Importers are stateless.
   */
  private static final class Discovered {
    static final List<WorkflowImporter> IMPORTERS = discover();

    private static List<WorkflowImporter> discover() {
      List<WorkflowImporter> found = new ArrayList<>();
      ServiceLoader.load(WorkflowImporter.class, WorkflowLoader.class.getClassLoader())
          .forEach(found::add);
      return List.copyOf(found);
    }
  }

  public List<WorkflowImporter> importers() {
    return importers;
  }

  public WorkflowGraph load(Path file) {
    Path key = file.toAbsolutePath().normalize();
    Deque<Path> stack = INCLUDING.get();
    if (stack.contains(key)) {
      String chain =
          stack.stream().map(Path::toString).collect(Collectors.joining(" -> ")) + " -> " + key;
      throw new DefinitionException(
          new Problem(
              Location.of(file.toString(), 0), null, "subworkflow include cycle: " + chain));
    }
    stack.addLast(key);
    try {
      return read(SourceDocument.read(file));
    } finally {
      stack.removeLast();
    }
  }

  /** Reads {@code text}; {@code fileName} names it in messages and resolves relative includes. */
  public WorkflowGraph load(String fileName, String text) {
    Deque<Path> stack = INCLUDING.get();
    if (!stack.isEmpty() || fileName == null || fileName.startsWith("<")) {
      return read(SourceDocument.parse(fileName, text));
    }
    // the text stands for that file: its folder bounds the includes (FolderPaths)
    stack.addLast(Path.of(fileName).toAbsolutePath().normalize());
    try {
      return read(SourceDocument.parse(fileName, text));
    } finally {
      stack.removeLast();
    }
  }

  public WorkflowGraph read(SourceDocument doc) {
    for (WorkflowImporter importer : importers) {
      if (importer.accepts(doc)) {
        return importer.read(doc);
      }
    }
    String seen =
        doc.root() != null && doc.root().isObject()
            ? "top-level keys " + iterable(doc.root().fieldNames())
            : doc.root() == null || doc.root().isNull()
                ? "an empty document"
                : "a document that is a single "
                    + doc.root().getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    throw new DefinitionException(
        new Problem(
            doc.locate(doc.root()),
            null,
            "not a Sluice, FaaSFlow or WfCommons definition: found "
                + seen
                + "; a Sluice workflow starts with 'sluice: \"1.0\"' (formats known here: "
                + importers.stream().map(WorkflowImporter::format).collect(Collectors.joining(", "))
                + ")"));
  }

  /**
   * The folder every include must stay in: the top-level definition's ({@code folder}, the folder
   * of the file being read, when it is the top-level one); null when unknown.
   */
  static Path includeRoot(Path folder) {
    Deque<Path> stack = INCLUDING.get();
    return stack.isEmpty() ? folder : stack.getFirst().getParent();
  }

  /** Loads a file included by another definition, with the importers on the class path. */
  static WorkflowGraph loadIncluded(Path file) {
    return new WorkflowLoader().load(file);
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
