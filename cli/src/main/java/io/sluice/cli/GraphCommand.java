package io.sluice.cli;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.DotWriter;
import io.sluice.model.format.NativeWriter;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.layout.GraphLayout;
import io.sluice.model.layout.SvgWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
      "Prints the graph a definition compiles to: the native format as JSON or YAML,"
          + " Graphviz DOT, or a picture of its top-level nodes that Sluice lays out itself"
          + " (svg, or png written with --output; no Graphviz needed).",
      "Exit 2 when the file cannot be read or is not a valid definition."
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
      description = "json (default), yaml, dot, svg or png (png needs --output)")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "write to FILE instead of standard output (required for png)")
  Path output;

  @Override
  public Integer call() {
    if (format == Format.png && output == null) {
      throw new CliFailure(
          Main.EXIT_INVALID,
          "--format png writes a binary image: add --output FILE (e.g. -o graph.png)");
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
          case png -> null;
          case svg -> SvgWriter.toSvg(GraphLayout.layout(g));
          case yaml -> NativeWriter.toYaml(g);
          case dot -> DotWriter.toDot(g);
          case json -> NativeWriter.toJson(g);
        };
    if (text != null && !text.endsWith("\n")) {
      text += "\n";
    }
    byte[] bytes =
        text == null
            ? PngDrawing.png(GraphLayout.layout(g))
            : text.getBytes(StandardCharsets.UTF_8);
    if (output == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return 0;
    }
    try {
      Files.write(output, bytes);
    } catch (IOException e) {
      throw new CliFailure(Main.EXIT_INVALID, "cannot write " + output + ": " + e.getMessage());
    }
    return 0;
  }
}
