package io.sluice.engine;

import io.sluice.model.DefinitionException;
import io.sluice.model.FunctionDef;
import io.sluice.model.GraphWalk;
import io.sluice.model.Problem;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.validate.WorkflowValidator;
import io.sluice.runtime.FunctionCode;
import io.sluice.runtime.FunctionRegistry;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
    try (SystemScheduler scheduler = new SystemScheduler(1);
        FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler))) {
      return load(file, registryFile, synthetic, runtimes);
    }
  }

  /** {@link #load(Path, Path, boolean)}, checking the functions against given runtimes. */
  public static Loaded load(
      Path file, Path registryFile, boolean synthetic, FunctionRuntimes runtimes) {
    Loaded loaded = read(file, registryFile);
    validate(loaded.graph(), name -> synthetic || loaded.registry().find(name).isPresent());
    checkBindings(loaded, synthetic, runtimes);
    return loaded;
  }

  /**
   * Throws {@link DefinitionException} if a function a task calls cannot run here: its runtime kind
   * does not exist or rejects its settings. It is what deploying checks when it binds the functions
   * (the engine's {@code TriggerCompiler}), so that {@code validate} accepts exactly what {@code
   * run} deploys; each problem is at the function's declaration.
   */
  static void checkBindings(Loaded loaded, boolean synthetic, FunctionRuntimes runtimes) {
    Set<FunctionDef> bound = new LinkedHashSet<>();
    GraphWalk.nodes(loaded.graph())
        .forEach(
            n -> {
              if (n.node() instanceof TaskNode t) {
                FunctionDef f =
                    ClientFunctions.resolve(
                        t.function(), loaded.registry().functions(), loaded.graph(), n, synthetic);
                if (f != null) {
                  bound.add(f);
                }
              }
            });
    List<Problem> problems = new ArrayList<>();
    bound.stream()
        .filter(f -> !f.runtime().equals("emit")) // built into the engine (EventEmitter)
        .forEach(f -> problems.addAll(runtimes.check(f)));
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
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
