package io.sluice.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.sluice.model.FunctionDef;
import io.sluice.model.format.ByteSizes;
import io.sluice.runtime.FunctionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What a failed container call means, in the words a workflow author reads: the container was
 * OOM-killed at its limit ({@code OutOfMemory}), exited or was removed ({@code ContainerExited},
 * with the tail of its log), or the call itself failed; and what a proxy's error body says.
 */
final class ContainerFailures {
  static final int LOG_TAIL_LINES = 20;
  private static final int EXCERPT_CHARS = 200;

  private final DockerFunctionRuntime rt;
  private final FunctionDef fn;
  private final DockerSpec spec;

  ContainerFailures(DockerFunctionRuntime rt, FunctionDef fn, DockerSpec spec) {
    this.rt = rt;
    this.fn = fn;
    this.spec = spec;
  }

  private String where(ContainerPool.Call c) {
    return "function '" + fn.name() + "'" + (c == null ? "" : " at node '" + c.inv.nodeId() + "'");
  }

  private FunctionException outOfMemory(String where, String when) {
    return new FunctionException(
        FunctionException.OUT_OF_MEMORY,
        where
            + " ran out of memory: its container was killed at its limit of "
            + ByteSizes.format(spec.memory())
            + " (setting 'memory')"
            + when,
        true);
  }

  FunctionException diagnose(ContainerPool.Call c, ContainerPool.Slot s, Throwable err) {
    DockerEngine engine = rt.engine();
    InspectContainerResponse.ContainerState st = null;
    for (int i = 0; i < 100; i++) {
      st = engine.state(s.id);
      if (st == null || !Boolean.TRUE.equals(st.getRunning())) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    String where = where(c);
    if (st != null && Boolean.TRUE.equals(st.getOOMKilled())) {
      return outOfMemory(where, "");
    }
    if (st == null || !Boolean.TRUE.equals(st.getRunning())) {
      return exited(c, s, st, "during the call");
    }
    Throwable cause = err;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return new FunctionException(
        FunctionException.FUNCTION_FAILED,
        where + ": the call to its container on port " + s.port + " failed: " + cause,
        true,
        err);
  }

  FunctionException exited(
      ContainerPool.Call c,
      ContainerPool.Slot s,
      InspectContainerResponse.ContainerState st,
      String when) {
    String where = where(c);
    if (st == null) {
      return new FunctionException(
          FunctionException.CONTAINER_EXITED,
          where + ": its container " + shortId(s.id) + " was removed " + when,
          true);
    }
    if (Boolean.TRUE.equals(st.getOOMKilled())) {
      return outOfMemory(where, " " + when);
    }
    return new FunctionException(
        FunctionException.CONTAINER_EXITED,
        where
            + ": its container "
            + shortId(s.id)
            + " (image "
            + spec.image()
            + ") exited with code "
            + st.getExitCodeLong()
            + " "
            + when
            + "; last lines of its log:\n"
            + rt.engine().logTail(s.id, LOG_TAIL_LINES),
        true);
  }

  static String errorText(byte[] body) {
    try {
      JsonNode n = DockerFunctionRuntime.JSON.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        return n.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: show it
    }
    return excerpt(body);
  }

  static String excerpt(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    if (s.isEmpty()) {
      return "(empty body)";
    }
    return s.length() > EXCERPT_CHARS
        ? "'" + s.substring(0, EXCERPT_CHARS) + "…' (" + body.length + " bytes)"
        : "'" + s + "'";
  }

  private static String shortId(String id) {
    return id == null ? "(not created)" : id.substring(0, Math.min(12, id.length()));
  }
}
