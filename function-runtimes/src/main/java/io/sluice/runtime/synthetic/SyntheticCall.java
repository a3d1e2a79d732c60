package io.sluice.runtime.synthetic;

import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.internal.Settings;

/**
 * What one synthetic invocation does, read from the function's settings and the node's hints.
 *
 * @param sleepNanos how long it "computes" (already scaled by timeScale)
 * @param payloadChars how many payload characters it outputs (already scaled by dataScale)
 * @param failure the failure this attempt ends with, or null when it succeeds
 */
record SyntheticCall(long sleepNanos, long payloadChars, FunctionException failure) {

  /** Throws {@link IllegalArgumentException} naming a wrong setting. */
  static SyntheticCall of(Invocation inv, RuntimeOptions options) {
    FunctionDef f = inv.function();
    Hints hints = inv.hints() == null ? Hints.NONE : inv.hints();
    double computeMs =
        f.settings().get("computeMs") != null
            ? Settings.nonNegativeNumber(f, "computeMs", 0)
            : hints.computeTime().toNanos() / 1e6;
    long outputBytes = Settings.nonNegativeLong(f, "outputBytes", hints.outputBytes());
    long sleep = Math.round(computeMs * 1e6 * options.timeScale());
    long chars = Math.round(outputBytes * options.dataScale());
    return new SyntheticCall(sleep, chars, failure(inv));
  }

  private static FunctionException failure(Invocation inv) {
    FunctionDef f = inv.function();
    if (f.settings().get("failAttempts") == null) {
      return null;
    }
    long failAttempts = Settings.nonNegativeLong(f, "failAttempts", 0);
    String type = Settings.text(f, "failType");
    boolean retryable = Settings.bool(f, "failRetryable", true);
    if (inv.attempt() > failAttempts) {
      return null;
    }
    return new FunctionException(
        type == null ? FunctionException.FUNCTION_FAILED : type,
        "synthetic function '"
            + f.name()
            + "' at node '"
            + inv.nodeId()
            + "' failed attempt "
            + inv.attempt()
            + " on purpose (setting failAttempts: "
            + failAttempts
            + ")",
        retryable);
  }
}
