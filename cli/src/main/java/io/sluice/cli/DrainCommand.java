package io.sluice.cli;

import io.grpc.StatusRuntimeException;
import io.sluice.model.format.Durations;
import io.sluice.proto.DrainWorkerRequest;
import io.sluice.proto.DrainWorkerResponse;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice drain --master HOST:PORT WORKER [--wait] [--timeout D] [--undo]}: drains a worker
 * so it can be stopped (an upgrade) without failing an instance, or ends its draining.
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description = {
      "Drains a worker so that it can be stopped without failing an instance.",
      "It gets no new instance parts, the parts it runs finish. Prints how many"
          + " still run there; with --wait, waits until none does (then stopping it fails no"
          + " instance). A restarted worker (a new incarnation) is no longer draining.",
      "Exit 0 draining (with --wait: no part runs there any more), 1 when --timeout passed first,"
          + " 2 for an unknown worker, a bad option or an unreachable master."
    })
final class DrainCommand implements Callable<Integer> {
  /** How often {@code --wait} asks the master. */
  static final Duration POLL = Duration.ofMillis(250);

  @Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin MasterAddress master;

  @Parameters(index = "0", paramLabel = "WORKER", description = "the worker's id")
  String worker;

  @Option(names = "--wait", description = "wait until no instance part runs on the worker")
  boolean await;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description =
          "with --wait: give up after this long (e.g. 90s, 10m; default ${DEFAULT-VALUE})")
  String timeout;

  @Option(names = "--undo", description = "end the draining: the worker takes new parts again")
  boolean undo;

  @Override
  public Integer call() throws InterruptedException {
    CommandLine cl = spec.commandLine();
    Duration limit = parseTimeout(cl);
    if (undo && await) {
      throw new CommandLine.ParameterException(cl, "--undo and --wait do not go together");
    }
    PrintWriter out = cl.getOut();
    try (MasterConnection c = new MasterConnection(cl, master)) {
      try {
        DrainWorkerResponse r = ask(c);
        if (undo) {
          out.println(
              "worker "
                  + r.getWorkerId()
                  + " is no longer draining: it takes new parts again ("
                  + parts(r)
                  + ")");
          return 0;
        }
        out.println(line(r));
        if (!await || r.getRunningParts() == 0) {
          return 0;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        int last = r.getRunningParts();
        while (System.nanoTime() < deadline) {
          Thread.sleep(
              Math.min(POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
          r = ask(c);
          if (r.getRunningParts() == 0) {
            out.println(line(r));
            return 0;
          }
          if (r.getRunningParts() != last) {
            last = r.getRunningParts();
            out.println(line(r));
          }
        }
        cl.getErr()
            .println(
                "sluice: worker "
                    + r.getWorkerId()
                    + " still runs "
                    + parts(r)
                    + " after --timeout "
                    + timeout
                    + "; it stays draining (wait again, or stop it and let those instances fail)");
        return Main.EXIT_FAILED;
      } catch (StatusRuntimeException e) {
        return c.fail(cl, e);
      }
    }
  }

  private Duration parseTimeout(CommandLine cl) {
    Duration d;
    try {
      d = Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, "--timeout: " + e.getMessage());
    }
    if (d.isZero() || d.isNegative()) {
      throw new CommandLine.ParameterException(
          cl, "--timeout must be longer than 0, got '" + timeout + "'");
    }
    return d;
  }

  private DrainWorkerResponse ask(MasterConnection c) {
    return c.stub(false)
        .drainWorker(DrainWorkerRequest.newBuilder().setWorkerId(worker).setUndo(undo).build());
  }

  private static String line(DrainWorkerResponse r) {
    String w = "worker " + r.getWorkerId() + (r.getAlive() ? "" : " (not alive)");
    if (r.getRunningParts() == 0) {
      return w + " is draining and runs no instance part: it is safe to stop";
    }
    return w + " is draining: " + parts(r) + " still running";
  }

  private static String parts(DrainWorkerResponse r) {
    int n = r.getRunningParts();
    if (n == 0) {
      return "no instance part runs there";
    }
    String ids = String.join(", ", r.getRunningInstancesList());
    return n
        + " instance part"
        + (n == 1 ? "" : "s")
        + (ids.isEmpty()
            ? ""
            : " (" + ids + (n > r.getRunningInstancesCount() ? ", ..." : "") + ")");
  }
}
