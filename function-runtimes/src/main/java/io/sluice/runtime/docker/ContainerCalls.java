package io.sluice.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The per-call protocol of one function's containers: {@code POST /run} with {@code {"value":
 * input}} on the asynchronous HTTP client, and what the answer means: the output, a failure of the
 * function in its container, an output too large or not JSON, or a container that stopped answering
 * (diagnosed by {@link ContainerFailures}). It holds no state; the pool hears when a call's slot is
 * free ({@link ContainerPool#release}) or its container lost ({@link ContainerPool#lost}).
 */
final class ContainerCalls {
  private final DockerFunctionRuntime rt;
  private final FunctionDef fn;
  private final ContainerFailures failures;
  private final ContainerPool pool;

  ContainerCalls(
      DockerFunctionRuntime rt, FunctionDef fn, ContainerFailures failures, ContainerPool pool) {
    this.rt = rt;
    this.fn = fn;
    this.failures = failures;
    this.pool = pool;
  }

  /** Sends the call to the slot's container; its result completes when the container answers. */
  void send(ContainerPool.Slot s, ContainerPool.Call c) {
    byte[] body;
    try {
      body = DockerFunctionRuntime.JSON.writeValueAsBytes(runBody(c.inv));
    } catch (IOException e) {
      c.result.completeExceptionally(FunctionException.of(e));
      pool.release(s);
      return;
    }
    rt.http()
        .sendAsync(post(s, "/run", body).build(), HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (resp, err) -> {
              if (err != null) {
                failed(s, c, err);
              } else {
                // the slot is free before the caller hears back, so its next call finds it warm
                pool.release(s);
                complete(c, resp);
              }
            });
  }

  /** A JSON POST of {@code body} to {@code path} on the slot's container. */
  static HttpRequest.Builder post(ContainerPool.Slot s, String path, JsonNode body) {
    try {
      return post(s, path, DockerFunctionRuntime.JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpRequest.Builder post(ContainerPool.Slot s, String path, byte[] body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /**
   * The body of {@code POST /run}: the input as {@code value}, an activation id and the call's
   * idempotency keys as {@code idempotency_key} and {@code step_key} (OpenWhisk's action proxies
   * turn each top-level string field but {@code value} into an {@code __OW_<NAME>} environment
   * variable: {@code __OW_ACTIVATION_ID}, {@code __OW_IDEMPOTENCY_KEY}, {@code __OW_STEP_KEY}).
   */
  static ObjectNode runBody(Invocation inv) {
    ObjectNode body = DockerFunctionRuntime.JSON.createObjectNode();
    body.set("value", inv.input());
    body.put("activation_id", inv.instanceId() + "/" + inv.nodeId() + "/" + inv.attempt());
    body.put("idempotency_key", inv.idempotencyKey());
    body.put("step_key", inv.stepKey());
    return body;
  }

  private void complete(ContainerPool.Call c, HttpResponse<byte[]> resp) {
    byte[] bytes = resp.body();
    String where = "function '" + fn.name() + "' at node '" + c.inv.nodeId() + "'";
    if (bytes.length > rt.options().maxOutputBytes()) {
      c.result.completeExceptionally(
          new FunctionException(
              FunctionException.BAD_OUTPUT,
              where
                  + " returned "
                  + bytes.length
                  + " bytes, more than the limit of "
                  + rt.options().maxOutputBytes(),
              false));
      return;
    }
    if (resp.statusCode() != 200) {
      c.result.completeExceptionally(
          new FunctionException(
              FunctionException.FUNCTION_FAILED,
              where
                  + " failed in its container (HTTP "
                  + resp.statusCode()
                  + "): "
                  + ContainerFailures.errorText(bytes),
              true));
      return;
    }
    JsonNode out = null;
    try {
      out = DockerFunctionRuntime.JSON.readTree(bytes);
    } catch (IOException e) {
      // below
    }
    if (out == null || out.isMissingNode()) {
      c.result.completeExceptionally(
          new FunctionException(
              FunctionException.BAD_OUTPUT,
              where
                  + " answered /run with something that is not JSON: "
                  + ContainerFailures.excerpt(bytes),
              false));
      return;
    }
    DockerStats.called();
    c.result.complete(out);
  }

  /**
   * The HTTP call failed (connection refused or reset): find out why, off the caller's thread. The
   * container is removed by whoever retired its slot: a timeout does it itself; otherwise (a call
   * that failed, or one its caller cancelled) this thread does, without the pool's lock.
   */
  private void failed(ContainerPool.Slot s, ContainerPool.Call c, Throwable err) {
    boolean diagnoseHere = pool.lost(s);
    if (c.result.isDone()) {
      // timed out (its container is being replaced) or cancelled: nothing to report
      if (diagnoseHere) {
        removeQuietly(s.id); // cancelled: nobody else knows of the container any more
      }
      pool.redispatch();
      return;
    }
    FunctionException failure;
    try {
      failure = failures.diagnose(c, s, err);
    } catch (RuntimeException e) {
      failure = FunctionException.of(e);
    }
    if (diagnoseHere) {
      removeQuietly(s.id);
    }
    c.result.completeExceptionally(failure);
    pool.redispatch();
  }

  private void removeQuietly(String id) {
    try {
      rt.engine().removeQuietly(id);
    } catch (RuntimeException ignored) {
      // the engine went away; close removes what is left by label
    }
  }
}
