package io.sluice.testing;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.validate.WorkflowValidator;
import java.nio.file.Path;
import java.util.List;

/** Reading and validating definitions in tests. */
public final class Definitions {
  private static final WorkflowLoader LOADER = new WorkflowLoader();

  private Definitions() {}

  public static WorkflowGraph parse(String yaml) {
    return LOADER.load("test.yaml", yaml);
  }

  /** The problems of reading {@code yaml} (empty if it reads). */
  public static List<Problem> readProblems(String yaml) {
    try {
      parse(yaml);
      return List.of();
    } catch (DefinitionException e) {
      return e.problems();
    }
  }

  /** Validates with only the workflow's own functions known. */
  public static List<Problem> validate(WorkflowGraph g) {
    return new WorkflowValidator().validate(g, name -> false);
  }

  /** The repository root (the {@code sluice.root} property set by the build, else {@code ..}). */
  public static Path root() {
    String root = System.getProperty("sluice.root");
    Path p = root == null ? Path.of("..") : Path.of(root);
    return p.resolve("examples").toFile().isDirectory() ? p : Path.of("..");
  }
}
