package io.sluice.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.runtime.CallTime;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.security.RunAs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One run of a process function: start it, write the input to its stdin, read its stdout (up to the
 * limit) and the tail of its stderr, and complete {@link #result} from its exit. Every step that
 * blocks runs on the I/O pool; {@link #kill} stops the process and its descendants.
 */
final class ProcessCall {
  private final ProcessSpec spec;
  private final Invocation inv;
  private final Executor io;
  private final CompletableFuture<JsonNode> result;
  private final RunAs runAs;
  private volatile Process process;

  ProcessCall(ProcessSpec spec, Invocation inv, Executor io, CompletableFuture<JsonNode> result) {
    this(spec, inv, io, result, null);
  }

  /** A call whose process runs as {@code runAs} (null: as this process). */
  ProcessCall(
      ProcessSpec spec,
      Invocation inv,
      Executor io,
      CompletableFuture<JsonNode> result,
      RunAs runAs) {
    this.runAs = runAs;
    this.spec = spec;
    this.inv = inv;
    this.io = io;
    this.result = result;
  }

  /**
   * The variables that tell the process which call it serves; they win over the function's {@code
   * env} setting of the same name.
   */
  static java.util.Map<String, String> callEnvironment(Invocation inv) {
    return java.util.Map.of(
        "SLUICE_IDEMPOTENCY_KEY", inv.idempotencyKey(),
        "SLUICE_STEP_KEY", inv.stepKey(),
        "SLUICE_INSTANCE_ID", inv.instanceId(),
        "SLUICE_NODE_ID", inv.nodeId(),
        "SLUICE_ATTEMPT", Integer.toString(inv.attempt()));
  }

  /** Starts the process and wires its streams; runs on the I/O pool. */
  void run() {
    try {
      start();
    } catch (RuntimeException e) { // e.g. the pool was shut down by close() meanwhile
      result.completeExceptionally(
          failure(FunctionException.FUNCTION_FAILED, "could not be run: " + e, true));
      kill();
    }
  }

  private void start() {
    if (result.isDone()) {
      return;
    }
    ProcessBuilder builder =
        new ProcessBuilder(runAs == null ? spec.command() : runAs.wrap(spec.command()));
    if (spec.workingDir() != null) {
      builder.directory(spec.workingDir().toFile());
    }
    builder.environment().putAll(spec.env());
    builder.environment().putAll(callEnvironment(inv));
    Process p;
    try {
      p = builder.start();
    } catch (IOException | RuntimeException e) {
      result.completeExceptionally(
          failure(
              FunctionException.BAD_CONFIGURATION,
              "cannot start "
                  + spec.command()
                  + ": "
                  + e.getMessage()
                  + "; check that the program exists and is executable",
              false));
      return;
    }
    process = p;
    if (result.isDone()) { // timed out or closed while starting
      kill();
      return;
    }
    CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readStdout(p), io);
    CompletableFuture<StderrTail> stderr =
        CompletableFuture.supplyAsync(() -> StderrTail.read(p.getErrorStream()), io);
    writeStdin(p);
    // Finish on the I/O pool, not on the JDK's process reaper thread that completes onExit().
    CompletableFuture.allOf(stdout, stderr, p.onExit())
        .whenCompleteAsync((v, e) -> finish(p, stdout, stderr, e), io);
  }

  /** Kills the process and every process it started (children first collected, then all). */
  void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    List<ProcessHandle> descendants = p.descendants().toList();
    p.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  private void writeStdin(Process p) {
    JsonNode input = inv.input() == null ? NullNode.getInstance() : inv.input();
    try (OutputStream stdin = p.getOutputStream()) {
      ProcessJson.write(stdin, input);
    } catch (IOException e) {
      // The process exited or closed stdin without reading it all: its exit code says how it went.
    }
  }

  private byte[] readStdout(Process p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (InputStream in = p.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (out.size() + (long) n > spec.maxOutputBytes()) {
          result.completeExceptionally(
              failure(
                  FunctionException.BAD_OUTPUT,
                  "printed more than "
                      + spec.maxOutputBytes()
                      + " bytes on stdout (the limit,"
                      + " setting maxOutputBytes); it was stopped",
                  false));
          kill();
          return null;
        }
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // Killed while reading: the result is already completed by whoever killed it.
    }
    return out.toByteArray();
  }

  private void finish(
      Process p,
      CompletableFuture<byte[]> stdout,
      CompletableFuture<StderrTail> stderr,
      Throwable e) {
    if (result.isDone()) {
      return;
    }
    if (e == null && inv.callTime() != null && !stderr.join().text().isEmpty()) {
      // before the result completes: the caller reads the log when it does
      StderrTail s = stderr.join();
      inv.callTime().log(new CallTime.Log("stderr", s.text(), s.truncated()));
    }
    if (e != null) {
      result.completeExceptionally(
          failure(FunctionException.FUNCTION_FAILED, "I/O with the process failed: " + e, true));
      return;
    }
    int code = p.exitValue();
    if (code != 0) {
      String tail = stderr.join().forMessage();
      boolean notFound = code == 127 && spec.shell();
      result.completeExceptionally(
          failure(
              notFound ? FunctionException.BAD_CONFIGURATION : FunctionException.FUNCTION_FAILED,
              "exited with code "
                  + code
                  + (notFound ? " (command not found)" : "")
                  + (tail.isEmpty() ? " and printed nothing on stderr" : "; stderr: " + tail),
              !notFound));
      return;
    }
    try {
      result.complete(ProcessJson.parse(stdout.join()));
    } catch (IllegalArgumentException bad) {
      result.completeExceptionally(failure(FunctionException.BAD_OUTPUT, bad.getMessage(), false));
    }
  }

  private FunctionException failure(String type, String what, boolean retryable) {
    return new FunctionException(
        type,
        "process function '" + inv.function().name() + "' at node '" + inv.nodeId() + "' " + what,
        retryable);
  }
}
