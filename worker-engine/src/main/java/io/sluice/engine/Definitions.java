package io.sluice.engine;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.validate.WorkflowValidator;
import io.sluice.runtime.FunctionCode;
import io.sluice.runtime.FunctionRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a workflow file in any supported format and validates it against the functions that will be
 * available: the one path from a file to a graph that may run.
 */
public final class Definitions {
  private Definitions() {}

  /** A validated workflow and the function registry it was validated against. */
  public record Loaded(WorkflowGraph graph, FunctionRegistry registry) {}

  /**
   * Loads and validates; throws {@link DefinitionException} with every problem of the file and of
   * the registry.
   *
   * @param registryFile a function registry file, or null
   * @param synthetic whether functions declared nowhere run on the synthetic runtime
   */
  public static Loaded load(Path file, Path registryFile, boolean synthetic) {
    Loaded loaded = read(file, registryFile);
    validate(loaded.graph(), name -> synthetic || loaded.registry().find(name).isPresent());
    return loaded;
  }

  /**
   * Reads the workflow and the registry without validating the graph (the engine validates what it
   * deploys); throws {@link DefinitionException} if either cannot be read. Code files that
   * functions name ({@code code: ./fn.py}) are read here, on the client, into the definition
   * ({@link FunctionCode}).
   */
  public static Loaded read(Path file, Path registryFile) {
    WorkflowGraph graph = FunctionCode.inline(new WorkflowLoader().load(file));
    FunctionRegistry registry =
        registryFile == null
            ? FunctionRegistry.empty()
            : FunctionCode.inline(FunctionRegistry.load(registryFile));
    return new Loaded(graph, registry);
  }

  /** Throws {@link DefinitionException} with every problem of the graph. */
  public static void validate(WorkflowGraph graph, Predicate<String> functionKnown) {
    List<Problem> problems = new WorkflowValidator().validate(graph, functionKnown);
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
  }
}
