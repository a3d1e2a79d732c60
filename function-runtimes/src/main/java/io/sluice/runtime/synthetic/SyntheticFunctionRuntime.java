package io.sluice.runtime.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.Footprint;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.internal.Deadlines;
import io.sluice.runtime.internal.InFlight;
import io.sluice.runtime.internal.Settings;
import io.sluice.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code synthetic} runtime, for replaying workflows whose functions are known only by their
 * hints: an invocation "computes" for {@code computeTime * timeScale} on the scheduler (no thread
 * is blocked) and returns {@code {"node": nodeId}} plus a payload of {@code outputBytes *
 * dataScale} characters. A zero sleep completes on the calling thread. A function whose setting
 * {@code container} is {@code docker} does the same inside a container ({@link
 * ContainerSynthetics}).
 */
final class SyntheticFunctionRuntime implements FunctionRuntime {
  static final String KIND = "synthetic";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final RuntimeOptions options;
  private final Scheduler scheduler;
  private final Payloads payloads = new Payloads();
  private final InFlight inFlight = new InFlight(KIND);
  private final ContainerSynthetics containers;

  SyntheticFunctionRuntime(RuntimeOptions options) {
    this.options = options;
    this.scheduler = options.scheduler();
    this.containers = new ContainerSynthetics(options);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public void validate(FunctionDef f) {
    Settings.nonNegativeNumber(f, "computeMs", 0);
    Settings.nonNegativeLong(f, "outputBytes", 0);
    Settings.nonNegativeLong(f, "failAttempts", 0);
    Settings.text(f, "failType");
    Settings.bool(f, "failRetryable", true);
    Settings.duration(f, "timeout");
    if (ContainerSynthetics.inContainer(f)) {
      containers.validate(f);
    }
  }

  @Override
  public CompletionStage<JsonNode> invoke(Invocation inv) {
    if (inFlight.isClosed()) {
      return CompletableFuture.failedFuture(inFlight.closedError());
    }
    SyntheticCall call;
    long deadline;
    boolean inContainer;
    try {
      call = SyntheticCall.of(inv, options);
      deadline = Deadlines.effective(inv, scheduler);
      inContainer = ContainerSynthetics.inContainer(inv.function());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(Settings.badConfiguration(e));
    }
    if (call.payloadChars() > options.maxOutputBytes()
        || call.payloadChars() > Integer.MAX_VALUE - 64) {
      return CompletableFuture.failedFuture(tooLarge(inv, call));
    }
    if (inContainer) {
      return containers.invoke(inv, call);
    }
    if (call.sleepNanos() == 0) {
      if (deadline != Long.MAX_VALUE && deadline < scheduler.nanoTime()) {
        return CompletableFuture.failedFuture(Deadlines.timeout(inv));
      }
      CompletableFuture<JsonNode> now = new CompletableFuture<>();
      complete(now, inv, call);
      return now;
    }
    CompletableFuture<JsonNode> result = inFlight.track(new CompletableFuture<>());
    Scheduler.Cancellable done =
        scheduler.schedule(Duration.ofNanos(call.sleepNanos()), () -> complete(result, inv, call));
    result.whenComplete((r, e) -> done.cancel());
    Deadlines.enforce(result, inv, deadline, scheduler, () -> {});
    return result;
  }

  private void complete(CompletableFuture<JsonNode> result, Invocation inv, SyntheticCall call) {
    if (call.failure() != null) {
      result.completeExceptionally(call.failure());
      return;
    }
    ObjectNode out = F.objectNode();
    out.put("node", inv.nodeId());
    if (call.payloadChars() > 0) {
      out.put("payload", payloads.of((int) call.payloadChars()));
    }
    result.complete(out);
  }

  private FunctionException tooLarge(Invocation inv, SyntheticCall call) {
    return new FunctionException(
        FunctionException.BAD_OUTPUT,
        "synthetic function '"
            + inv.function().name()
            + "' at node '"
            + inv.nodeId()
            + "' would output "
            + call.payloadChars()
            + " bytes (outputBytes x dataScale "
            + options.dataScale()
            + "), over the limit of "
            + options.maxOutputBytes()
            + " bytes; lower the node's outputBytes or the data scale",
        false);
  }

  @Override
  public Footprint footprint() {
    // Calls in flight here; the memory is that of the containers synthetic calls run in, if any.
    Footprint c = containers.footprint();
    return new Footprint(inFlight.size(), c.grantedMemoryBytes(), c.usedMemoryBytes());
  }

  @Override
  public void close() {
    inFlight.close();
    containers.close();
  }
}
