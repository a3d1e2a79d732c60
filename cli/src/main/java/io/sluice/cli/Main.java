package io.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command: one launcher, one sub-command per job. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "sluice 0.1.0",
    description = "A decentralized, event-driven orchestrator for serverless function workflows.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      GraphCommand.class,
      MasterCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      CancelCommand.class,
      SendEventCommand.class,
      PlacementCommand.class,
      DrainCommand.class,
      WorkerCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a workflow that failed or was cancelled. */
  static final int EXIT_FAILED = 1;

  /** Exit code of an invalid definition or bad command-line input. */
  static final int EXIT_INVALID = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (tests call this in-process). */
  public static int execute(String... args) {
    return execute(null, null, args);
  }

  /** Runs the command line writing to the given streams (null = the process's own). */
  static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExpandAtFiles(false); // --input @FILE is ours, not picocli's argument files
    if (out != null) {
      cl.setOut(out);
    }
    if (err != null) {
      cl.setErr(err);
    }
    cl.setExitCodeExceptionMapper(Main::exitCodeOf);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr().println("sluice: " + ex.getMessage());
          return exitCodeOf(ex);
        });
    try {
      return cl.execute(args);
    } finally {
      // A command may print() without a newline; main() exits right after, which would lose it.
      cl.getOut().flush();
      cl.getErr().flush();
    }
  }

  private static int exitCodeOf(Throwable t) {
    return t instanceof io.sluice.model.DefinitionException
            || t instanceof CommandLine.ParameterException
        ? EXIT_INVALID
        : EXIT_FAILED;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
