package io.sluice.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.internal.DaemonThreads;
import io.sluice.runtime.internal.Deadlines;
import io.sluice.runtime.internal.InFlight;
import io.sluice.runtime.internal.Settings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@code process} runtime: each invocation runs a command, JSON in on stdin, JSON out on
 * stdout. The invoking thread only hands the call to an I/O pool; a process has three blocking
 * streams (stdin, stdout, stderr) served by pool threads, so the pool grows with the number of
 * running processes and shrinks when they end. At the deadline, on close, or when the caller
 * cancels the result, the process and its descendants are killed.
 */
final class ProcessFunctionRuntime implements FunctionRuntime {
  static final String KIND = "process";

  private final RuntimeOptions options;
  private final InFlight inFlight = new InFlight(KIND);
  private final ExecutorService io;

  ProcessFunctionRuntime(RuntimeOptions options) {
    this.options = options;
    this.io = DaemonThreads.cachedPool("sluice-process-io", Duration.ofSeconds(30));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void validate(FunctionDef function) {
    ProcessSpec spec = ProcessSpec.of(function, options.maxOutputBytes());
    Settings.duration(function, "timeout");
    if (!spec.shell() && !spec.programExists()) {
      throw Settings.bad(
          function,
          "command",
          "names a program that is not found or not executable: "
              + spec.command().get(0)
              + " (searched "
              + (spec.command().get(0).contains("/") ? "that path" : "PATH")
              + ")");
    }
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    if (inFlight.isClosed()) {
      return CompletableFuture.failedFuture(inFlight.closedError());
    }
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    ProcessSpec spec;
    long deadline;
    try {
      spec = ProcessSpec.of(inv.function(), options.maxOutputBytes());
      deadline = Deadlines.effective(inv, options.scheduler());
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(Settings.badConfiguration(e));
      return result;
    }
    ProcessCall call = new ProcessCall(spec, inv, io, result, options.runAs());
    inFlight.track(result);
    // However the result completes (deadline, close, cancel, output limit), nothing is left
    // running.
    result.whenComplete((r, e) -> call.kill());
    Deadlines.enforce(result, inv, deadline, options.scheduler(), call::kill);
    try {
      io.execute(call::run);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(inFlight.closedError());
    }
    return result;
  }

  @Override
  public Footprint footprint() {
    return new Footprint(inFlight.size(), 0, 0);
  }

  @Override
  public void close() {
    inFlight.close(); // fails every running call, which kills its process
    io.shutdownNow();
  }
}
