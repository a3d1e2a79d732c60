package io.sluice.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The runtime of one function whose settings refer to secrets: each call, warm-up and prewarm hands
 * the wrapped runtime the settings with the secrets' values in them (read anew, so a rotated file
 * is picked up), and a failure's message has those values masked. The resolved definition is reused
 * while the values stay the same, so runtimes that compile settings once per definition keep doing
 * so. Only {@link FunctionRuntimes#bind} creates one.
 */
final class SecretRuntime implements FunctionRuntime {
  private static final String MASK = "***";

  private final FunctionRuntime runtime;
  private final Secrets secrets;
  private volatile Resolved last;

  private record Resolved(FunctionDef original, List<String> values, FunctionDef def) {}

  SecretRuntime(FunctionRuntime runtime, Secrets secrets) {
    this.runtime = runtime;
    this.secrets = secrets;
  }

  private Resolved resolve(FunctionDef f) {
    List<String> values = new ArrayList<>();
    JsonNode settings = secrets.resolve(f.settings(), values);
    Resolved r = last;
    if (r != null && r.original == f && r.values.equals(values)) {
      return r;
    }
    r =
        new Resolved(
            f, List.copyOf(values), new FunctionDef(f.name(), f.runtime(), settings, f.location()));
    last = r;
    return r;
  }

  @Override
  public String kind() {
    return runtime.kind();
  }

  @Override
  public void validate(FunctionDef function) {
    runtime.validate(
        new FunctionDef(
            function.name(),
            function.runtime(),
            Secrets.placeholders(function.settings()),
            function.location()));
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    Resolved r;
    try {
      r = resolve(inv.function());
    } catch (FunctionException e) {
      return CompletableFuture.failedFuture(e);
    }
    Invocation bound =
        new Invocation(
            r.def,
            inv.input(),
            inv.deadlineNanos(),
            inv.instanceId(),
            inv.nodeId(),
            inv.attempt(),
            inv.hints(),
            inv.callTime(),
            inv.key());
    CompletionStage<JsonNode> stage;
    try {
      stage = runtime.invoke(bound);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(masked(e, r.values));
    }
    if (stage instanceof CompletableFuture<JsonNode> f
        && f.isDone()
        && !f.isCompletedExceptionally()) {
      return stage;
    }
    CompletableFuture<JsonNode> out = new CompletableFuture<>();
    stage.whenComplete(
        (v, error) -> {
          if (error == null) {
            out.complete(v);
          } else {
            out.completeExceptionally(masked(error, r.values));
          }
        });
    return out;
  }

  /** The failure as a {@link FunctionException} whose message shows no secret's value. */
  static FunctionException masked(Throwable error, List<String> values) {
    FunctionException e = FunctionException.of(error);
    String message = e.getMessage();
    if (message == null) {
      return e;
    }
    String m = message;
    for (String v : values) {
      if (!v.isEmpty()) {
        m = m.replace(v, MASK);
      }
    }
    if (m.equals(message) && e.getCause() == null) {
      return e;
    }
    // the cause is dropped: its message or stack may quote the resolved settings
    return new FunctionException(e.type(), m, e.retryable(), null, e.retryAfter());
  }

  @Override
  public void warmUp(FunctionDef function) {
    runtime.warmUp(resolve(function).def);
  }

  @Override
  public void prewarm(FunctionDef function) {
    try {
      runtime.prewarm(resolve(function).def);
    } catch (FunctionException e) {
      // a missing secret fails the call itself, with its message; a hint never throws
    }
  }

  @Override
  public boolean runsOnCaller(FunctionDef function) {
    return runtime.runsOnCaller(function);
  }

  @Override
  public Footprint footprint() {
    return Footprint.NONE;
  }

  @Override
  public void close() {
    // the wrapped runtime belongs to its FunctionRuntimes, which closes it
  }
}
