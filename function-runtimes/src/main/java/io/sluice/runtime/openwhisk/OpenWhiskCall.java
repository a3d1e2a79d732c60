package io.sluice.runtime.openwhisk;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.internal.Deadlines;
import io.sluice.time.Scheduler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One invocation of an OpenWhisk action: a blocking {@code POST .../actions/NAME?blocking=true},
 * answered with the activation record (200 on success, 502 for an application or developer error,
 * 500 for an internal one), or with 202 and the activation id when the activation outlasts the
 * controller's blocking wait (60 s by default); then {@code GET .../activations/ID/result} is
 * polled (100 ms, doubling to 2 s) until the activation is stored or the attempt's deadline passes.
 * Every step runs on the HTTP client's and the scheduler's threads; the caller is never blocked.
 */
final class OpenWhiskCall {
  /** Longest wait for one answer: the controller answers a blocking call within 60 s. */
  static final Duration MAX_REQUEST = Duration.ofSeconds(90);

  /** How long a call without a deadline polls a running activation before giving up. */
  static final Duration MAX_POLLING = Duration.ofMinutes(10);

  static final String IDEMPOTENCY_KEY = "X-Idempotency-Key";
  static final String STEP_KEY = "X-Sluice-Step-Key";

  static final Duration FIRST_POLL = Duration.ofMillis(100);
  static final Duration MAX_POLL = Duration.ofSeconds(2);

  private final OpenWhiskFunctionRuntime rt;
  private final Invocation inv;
  private final OpenWhiskSpec spec;
  private final String auth;
  private final long deadline;
  private final CompletableFuture<JsonNode> result;
  private final String what;
  private volatile CompletableFuture<?> request;
  private volatile Scheduler.Cancellable poll;
  private long pollUntil;

  OpenWhiskCall(
      OpenWhiskFunctionRuntime rt,
      Invocation inv,
      OpenWhiskSpec spec,
      String auth,
      long deadline,
      CompletableFuture<JsonNode> result) {
    this.rt = rt;
    this.inv = inv;
    this.spec = spec;
    this.auth = auth;
    this.deadline = deadline;
    this.result = result;
    this.what =
        "function '"
            + inv.function().name()
            + "' (OpenWhisk action "
            + spec.qualifiedName()
            + ") at node '"
            + inv.nodeId()
            + "' (attempt "
            + inv.attempt()
            + ")";
  }

  /**
   * Sends the invocation with {@code body} (the input as JSON). The call's idempotency keys go in
   * the {@code X-Idempotency-Key} and {@code X-Sluice-Step-Key} headers of this request: visible to
   * a proxy or gateway in front of the controller, not to the action (OpenWhisk passes an action
   * only its parameters, and adding the keys there would change the function's input).
   */
  void start(byte[] body) {
    HttpRequest req =
        request(spec.invokeUri())
            .header("Content-Type", "application/json")
            .header(IDEMPOTENCY_KEY, inv.idempotencyKey())
            .header(STEP_KEY, inv.stepKey())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    send(req, this::invoked);
  }

  /** Stops whatever is in flight: the request, or the timer of the next poll. */
  void stop() {
    CompletableFuture<?> r = request;
    if (r != null) {
      r.cancel(true);
    }
    Scheduler.Cancellable p = poll;
    if (p != null) {
      p.cancel();
    }
  }

  private HttpRequest.Builder request(URI uri) {
    long left =
        deadline == Long.MAX_VALUE
            ? Long.MAX_VALUE
            : deadline - rt.options().scheduler().nanoTime();
    Duration timeout = Duration.ofNanos(Math.max(1_000_000, Math.min(left, MAX_REQUEST.toNanos())));
    return HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Authorization", auth)
        .header("Accept", "application/json");
  }

  private interface Handler {
    void on(HttpResponse<byte[]> response);
  }

  private void send(HttpRequest req, Handler handler) {
    if (result.isDone()) {
      return;
    }
    CompletableFuture<HttpResponse<byte[]>> f =
        rt.http().sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
    request = f;
    f.whenComplete(
        (resp, err) -> {
          if (result.isDone()) {
            return;
          }
          if (err != null) {
            result.completeExceptionally(transportFailure(req.uri(), err));
            return;
          }
          try {
            handler.on(resp);
          } catch (FunctionException e) {
            result.completeExceptionally(e);
          } catch (RuntimeException e) {
            result.completeExceptionally(FunctionException.of(e));
          }
        });
    if (result.isDone()) {
      f.cancel(true); // completed (deadline, close) while the request was being sent
    }
  }

  /** The answer to the blocking invocation. */
  private void invoked(HttpResponse<byte[]> resp) {
    int status = resp.statusCode();
    byte[] body = resp.body();
    if (status == 202) {
      String id = activationId(resp);
      pollUntil =
          deadline == Long.MAX_VALUE
              ? rt.options().scheduler().nanoTime() + MAX_POLLING.toNanos()
              : deadline;
      schedulePoll(id, FIRST_POLL);
      return;
    }
    JsonNode record = status == 200 || status >= 500 ? json(body) : null;
    if (record == null || !record.path("response").isObject()) {
      if (status == 200) {
        throw OpenWhiskErrors.badOutput(
            what, "the controller answered 200 without an activation record", body);
      }
      throw OpenWhiskErrors.ofHttp(what, status, body);
    }
    JsonNode duration = record.get("duration");
    if (inv.callTime() != null && duration != null && duration.canConvertToLong()) {
      inv.callTime().report(Duration.ofMillis(duration.asLong()).toNanos());
    }
    finish(record.get("response"), record.path("activationId").asText(""), body.length);
  }

  /** Completes the call from an activation's response: its result, or its failure. */
  private void finish(JsonNode response, String activationId, long bytes) {
    String where = activationId.isEmpty() ? what : what + " activation " + activationId;
    FunctionException failure = OpenWhiskErrors.ofActivation(where, response);
    if (failure != null) {
      result.completeExceptionally(failure);
      return;
    }
    if (bytes > rt.options().maxOutputBytes()) {
      result.completeExceptionally(
          new FunctionException(
              FunctionException.BAD_OUTPUT,
              where
                  + ": output of "
                  + bytes
                  + " bytes is over the limit of "
                  + rt.options().maxOutputBytes(),
              false));
      return;
    }
    JsonNode out = response.get("result");
    result.complete(out == null ? OpenWhiskFunctionRuntime.JSON.createObjectNode() : out);
  }

  private void schedulePoll(String id, Duration delay) {
    if (result.isDone()) {
      return;
    }
    poll =
        rt.options()
            .scheduler()
            .schedule(
                delay,
                () ->
                    send(
                        request(spec.resultUri(id)).GET().build(),
                        resp -> polled(id, delay, resp)));
    if (result.isDone()) {
      poll.cancel();
    }
  }

  /** The answer to {@code GET .../activations/ID/result}: 404 while the activation runs. */
  private void polled(String id, Duration delay, HttpResponse<byte[]> resp) {
    int status = resp.statusCode();
    if (status == 404) {
      Duration next =
          delay.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : delay.multipliedBy(2);
      if (rt.options().scheduler().nanoTime() + next.toNanos() > pollUntil) {
        if (deadline != Long.MAX_VALUE) {
          return; // the deadline's timer fails the call with Timeout
        }
        throw new FunctionException(
            FunctionException.TIMEOUT,
            what
                + ": activation "
                + id
                + " was still running after "
                + MAX_POLLING.toMinutes()
                + " minutes of polling (give the function a timeout to wait longer)",
            true);
      }
      schedulePoll(id, next);
      return;
    }
    JsonNode response = status == 200 ? json(resp.body()) : null;
    if (response == null || !response.isObject()) {
      throw OpenWhiskErrors.ofHttp(what + " activation " + id, status, resp.body());
    }
    finish(response, id, resp.body().length);
  }

  private String activationId(HttpResponse<byte[]> resp) {
    JsonNode body = json(resp.body());
    String id = body == null ? "" : body.path("activationId").asText("");
    if (id.isEmpty()) {
      id = resp.headers().firstValue("x-openwhisk-activation-id").orElse("");
    }
    if (id.isEmpty()) {
      throw OpenWhiskErrors.badOutput(
          what, "the controller answered 202 without an activation id", resp.body());
    }
    return id;
  }

  private static JsonNode json(byte[] body) {
    try {
      return OpenWhiskFunctionRuntime.JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private FunctionException transportFailure(URI uri, Throwable err) {
    Throwable c =
        err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (c instanceof CancellationException) {
      return Deadlines.timeout(inv); // only reached if cancelled before the result completed
    }
    if (c instanceof HttpTimeoutException) {
      return new FunctionException(
          FunctionException.TIMEOUT,
          what + ": no answer from the OpenWhisk controller at " + uri.getHost() + " in time",
          true);
    }
    return new FunctionException(
        FunctionException.FUNCTION_FAILED,
        what
            + ": cannot reach the OpenWhisk controller at "
            + spec.apiHost()
            + " ("
            + c.getClass().getSimpleName()
            + (c.getMessage() == null ? "" : ": " + c.getMessage())
            + ")",
        true,
        c);
  }
}
