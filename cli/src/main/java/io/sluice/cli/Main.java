package io.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command: one launcher, one sub-command per job. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "sluice 0.1.0",
    description = "A decentralized, event-driven orchestrator for serverless function workflows.",
    footer = {
      "",
      "bin/sluice also runs: bench (benchmarks: sluice bench --help) and image build (the docker"
          + " runtime's function images).",
      "Client commands reach the master at --master HOST:PORT, by default $SLUICE_MASTER.",
      "Exit codes: 0 success, 1 the workflow failed or was cancelled, 2 an invalid definition,"
          + " command line or unreachable master. Every command: sluice COMMAND --help;"
          + " all of it: docs/cli.md."
    },
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      GraphCommand.class,
      MasterCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      ListCommand.class,
      WatchCommand.class,
      HistoryCommand.class,
      LogsCommand.class,
      CancelCommand.class,
      SendEventCommand.class,
      PlacementCommand.class,
      DrainCommand.class,
      VersionsCommand.class,
      RetireCommand.class,
      RedriveCommand.class,
      WorkerCommand.class,
      TokenCommand.class,
      CertsCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a workflow that failed or was cancelled. */
  static final int EXIT_FAILED = 1;

  /** Exit code of an invalid definition or bad command-line input. */
  static final int EXIT_INVALID = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "text (the default) or json: one JSON object per log line (as SLUICE_LOG_FORMAT=json)")
  void logFormat(String format) {
    io.sluice.cli.log.LogLayout.use(format);
  }

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
    // picocli wraps a long synopsis inside words (--master=HOST:\nPORT); the options are listed
    // below it anyway, each with its label.
    cl.getSubcommands()
        .values()
        .forEach(c -> c.getCommandSpec().usageMessage().abbreviateSynopsis(true));
    if (out != null) {
      cl.setOut(out);
    }
    if (err != null) {
      cl.setErr(err);
    }
    cl.setExitCodeExceptionMapper(Main::exitCodeOf);
    cl.setParameterExceptionHandler(Main::badCommandLine);
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

  /** Commands {@code bin/sluice} runs itself, not this class; suggested like the others. */
  private static final List<String> LAUNCHER_COMMANDS = List.of("bench", "image");

  /**
   * A command line picocli could not read: one line saying what was wrong (with the nearest command
   * or option names for a mistyped one) and where to look, not the whole usage.
   */
  private static int badCommandLine(CommandLine.ParameterException ex, String[] args) {
    CommandLine c = ex.getCommandLine();
    PrintWriter err = c.getErr();
    String name = c.getCommandSpec().qualifiedName();
    String message = firstLine(ex.getMessage());
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String typed = u.getUnmatched().get(0);
      if (!c.getSubcommands().isEmpty() && !typed.startsWith("-")) {
        List<String> names = new ArrayList<>(c.getSubcommands().keySet());
        names.addAll(LAUNCHER_COMMANDS);
        List<String> near = Suggestions.closest(typed, names);
        message =
            "'"
                + typed
                + "' is not a sluice command; "
                + (near.isEmpty()
                    ? "the commands are: " + String.join(", ", names)
                    : "did you mean: " + String.join(", ", near) + "?");
      } else if (typed.startsWith("-")) {
        String option = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        List<String> names = new ArrayList<>();
        c.getCommandSpec().options().forEach(o -> names.addAll(List.of(o.names())));
        List<String> near = Suggestions.closest(option, names);
        message =
            "unknown option '"
                + option
                + "'"
                + (near.isEmpty() ? "" : "; did you mean: " + String.join(", ", near) + "?");
      }
    }
    err.println(name + ": " + message);
    err.println("see " + name + " --help");
    return EXIT_INVALID;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "bad command line";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s.strip() : s.substring(0, nl).strip();
  }

  private static int exitCodeOf(Throwable t) {
    if (t instanceof CliFailure f) {
      return f.exitCode();
    }
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
