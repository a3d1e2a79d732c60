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
      "Prints the graph a definition compiles to: the native format as JSON or YAML, or Graphviz"
          + " DOT (draw it with: sluice graph FILE --format dot | dot -Tpng > graph.png).",
      "Exit 2 when the file cannot be read, or for svg and png, which need Graphviz."
    })
final class GraphCommand implements Callable<Integer> {
  enum Format {
    json,
    yaml,
    dot,
    svg,
    png
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "the workflow definition (Sluice, FaaSFlow or WfCommons format)")
  Path file;

  @Option(
      names = "--format",
      defaultValue = "json",
      paramLabel = "json|yaml|dot|svg|png",
      description =
          "json (default), yaml or dot; svg and png are not drawn here: they exit 2 saying how"
              + " to draw them with Graphviz")
  Format format;

  @Override
  public Integer call() {
    if (format == Format.svg || format == Format.png) {
      // No graph layout among the dependencies: Graphviz draws the DOT this command prints.
      throw new CliFailure(
          Main.EXIT_INVALID,
          "--format "
              + format
              + " needs Graphviz (apt-get install graphviz); run: sluice graph "
              + file
              + " --format dot | dot -T"
              + format
              + " > graph."
              + format);
    }
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
          case svg, png -> throw new IllegalStateException("handled above");
        };
    spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
    return 0;
  }
}
