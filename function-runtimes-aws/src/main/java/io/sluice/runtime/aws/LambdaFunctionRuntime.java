package io.sluice.runtime.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.format.JsonMappers;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.internal.DaemonThreads;
import io.sluice.runtime.internal.Deadlines;
import io.sluice.runtime.internal.InFlight;
import io.sluice.runtime.internal.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The {@code aws-lambda} runtime: each invocation is one Lambda {@code Invoke} on the AWS SDK's
 * asynchronous client ({@link LambdaClients}), so the caller's thread only starts it. {@code
 * RequestResponse} (the default) returns the function's JSON result; {@code Event} returns once
 * Lambda queued the event (HTTP 202) and passes the node's input through as its output, so a
 * fire-and-forget step leaves the data flowing past it unchanged. The payload limit is checked
 * before the call; the idempotency key and the step's ids travel in the ClientContext ({@link
 * ClientContexts}); failures keep AWS's names ({@link LambdaErrors}). The SDK never retries: the
 * node's retry policy does. At the deadline, on close or when the caller cancels, the request is
 * cancelled (the function itself may still run to its end on Lambda).
 */
final class LambdaFunctionRuntime implements FunctionRuntime {
  static final String KIND = "aws-lambda";
  static final ObjectMapper JSON = JsonMappers.forValues();

  /** Lambda's synchronous payload limit: "Request must be smaller than 6291456 bytes". */
  static final long SYNC_PAYLOAD_LIMIT = 6L * 1024 * 1024;

  /** Lambda's asynchronous (Event) payload limit, 1 MB since 2025 (256 KB before). */
  static final long EVENT_PAYLOAD_LIMIT = 1024L * 1024;

  private final RuntimeOptions options;
  private final InFlight inFlight = new InFlight(KIND);
  private final ExecutorService io;
  private final LambdaClients clients;

  LambdaFunctionRuntime(RuntimeOptions options) {
    this.options = options;
    this.io = DaemonThreads.cachedPool("sluice-lambda-io", Duration.ofSeconds(30));
    this.clients = new LambdaClients(io);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void validate(FunctionDef function) {
    LambdaSpec.of(function);
    Settings.duration(function, "timeout");
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    if (inFlight.isClosed()) {
      return CompletableFuture.failedFuture(inFlight.closedError());
    }
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    LambdaSpec spec;
    long deadline;
    try {
      spec = LambdaSpec.of(inv.function());
      deadline = Deadlines.effective(inv, options.scheduler());
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(Settings.badConfiguration(e));
      return result;
    }
    String what = what(inv, spec);
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(inv.input() == null ? NullNode.getInstance() : inv.input());
    } catch (IOException e) {
      result.completeExceptionally(FunctionException.of(e));
      return result;
    }
    if (payload.length > spec.payloadLimit()) {
      result.completeExceptionally(
          new FunctionException(
              LambdaErrors.PAYLOAD_TOO_LARGE,
              what
                  + ": the input is "
                  + payload.length
                  + " bytes, over Lambda's limit of "
                  + spec.payloadLimit()
                  + " bytes for "
                  + (spec.event() ? "Event" : "RequestResponse")
                  + " invocations; pass a reference (e.g. an S3 key) instead",
              false));
      return result;
    }
    InvokeRequest.Builder req =
        InvokeRequest.builder()
            .functionName(spec.function())
            .invocationType(spec.event() ? InvocationType.EVENT : InvocationType.REQUEST_RESPONSE)
            .payload(SdkBytes.fromByteArrayUnsafe(payload));
    if (spec.qualifier() != null) {
      req.qualifier(spec.qualifier());
    }
    if (!spec.event()) {
      req.clientContext(ClientContexts.encode(inv)); // Lambda passes it on synchronous calls only
    }
    AtomicReference<CompletableFuture<InvokeResponse>> call = new AtomicReference<>();
    Runnable stop =
        () -> {
          CompletableFuture<InvokeResponse> c = call.get();
          if (c != null) {
            c.cancel(true);
          }
        };
    inFlight.track(result);
    result.whenComplete((r, e) -> stop.run());
    Deadlines.enforce(result, inv, deadline, options.scheduler(), stop);
    String target = spec.endpoint() != null ? spec.endpoint().toString() : "Lambda";
    clients
        .client(spec, what)
        .thenCompose(
            client -> {
              if (result.isDone()) {
                return CompletableFuture.<InvokeResponse>completedFuture(null);
              }
              CompletableFuture<InvokeResponse> c = client.invoke(req.build());
              call.set(c);
              if (result.isDone()) {
                c.cancel(true);
              }
              return c;
            })
        .whenComplete(
            (resp, err) -> {
              if (result.isDone()) {
                return;
              }
              if (err != null) {
                result.completeExceptionally(LambdaErrors.of(what, target, err));
                return;
              }
              try {
                result.complete(output(inv, spec, what, resp));
              } catch (FunctionException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  private JsonNode output(Invocation inv, LambdaSpec spec, String what, InvokeResponse resp) {
    byte[] body = resp.payload() == null ? new byte[0] : resp.payload().asByteArrayUnsafe();
    if (resp.functionError() != null) {
      throw LambdaErrors.functionError(what, resp.functionError(), body);
    }
    if (spec.event()) {
      return inv.input() == null ? NullNode.getInstance() : inv.input();
    }
    if (body.length > options.maxOutputBytes()) {
      throw new FunctionException(
          FunctionException.BAD_OUTPUT,
          what
              + ": output of "
              + body.length
              + " bytes is over the limit of "
              + options.maxOutputBytes(),
          false);
    }
    if (body.length == 0) {
      return NullNode.getInstance(); // a handler that returned nothing
    }
    try {
      JsonNode out = JSON.readTree(body);
      return out == null || out.isMissingNode() ? NullNode.getInstance() : out;
    } catch (IOException e) {
      String start = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
      throw new FunctionException(
          FunctionException.BAD_OUTPUT,
          what + ": the result is not JSON; it began: " + start.strip(),
          false);
    }
  }

  private static String what(Invocation inv, LambdaSpec spec) {
    return "function '"
        + inv.function().name()
        + "' (Lambda "
        + spec.describe()
        + ") at node '"
        + inv.nodeId()
        + "' (attempt "
        + inv.attempt()
        + ")";
  }

  @Override
  public Footprint footprint() {
    return new Footprint(inFlight.size(), 0, 0);
  }

  @Override
  public void close() {
    inFlight.close(); // fails every running call, which cancels its request
    clients.close();
    io.shutdownNow();
  }
}
