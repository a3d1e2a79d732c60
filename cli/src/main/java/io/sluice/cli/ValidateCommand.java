package io.sluice.cli;

import io.sluice.engine.Definitions;
import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice validate FILE}: every problem of a definition, or nothing. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a workflow definition; prints every problem as FILE:LINE: node: message.",
      "Exit 0 when valid, 2 when not."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "the workflow definition (Sluice, FaaSFlow or WfCommons format)")
  Path file;

  @Option(names = "--functions", paramLabel = "REGISTRY", description = "a function registry file")
  Path functions;

  @Option(names = "--synthetic", description = "functions declared nowhere are synthetic")
  boolean synthetic;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try {
      WorkflowGraph g = Definitions.load(file, functions, synthetic).graph();
      out.println(
          file + ": valid (" + g.nodes().size() + " nodes, " + g.edges().size() + " edges)");
      return 0;
    } catch (DefinitionException e) {
      for (Problem p : e.problems()) {
        out.println(p);
      }
      return Main.EXIT_INVALID;
    }
  }
}
