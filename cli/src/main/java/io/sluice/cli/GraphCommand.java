package io.sluice.cli;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.DotWriter;
import io.sluice.model.format.NativeWriter;
import io.sluice.model.format.WorkflowLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice graph FILE}: the compiled graph of any supported format. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the graph a definition compiles to: native-format JSON, or Graphviz DOT.",
      "Exit 2 when the file cannot be read."
    })
final class GraphCommand implements Callable<Integer> {
  enum Format {
    json,
    yaml,
    dot
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--format", defaultValue = "json", description = "json (default), yaml or dot")
  Format format;

  @Override
  public Integer call() {
    WorkflowGraph g;
    try {
      g = new WorkflowLoader().load(file);
    } catch (DefinitionException e) {
      for (Problem p : e.problems()) {
        spec.commandLine().getErr().println(p);
      }
      return Main.EXIT_INVALID;
    }
    String text =
        switch (format) {
          case json -> NativeWriter.toJson(g);
          case yaml -> NativeWriter.toYaml(g);
          case dot -> DotWriter.toDot(g);
        };
    spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
    return 0;
  }
}
