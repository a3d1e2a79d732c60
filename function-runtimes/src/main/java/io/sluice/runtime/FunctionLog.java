package io.sluice.runtime;

/**
 * The log lines a java function writes through {@link FunctionContext#log(String)} during one call,
 * keeping the last {@link CallTime#DEFAULT_LOG_BYTES} characters. When the call ends, the runtime
 * hands them to the caller as the call's log ({@link CallTime#log(CallTime.Log)}, stream {@code
 * log}). Thread-safe: a function may log from threads of its own while the call runs.
 */
public final class FunctionLog {
  private final StringBuilder text = new StringBuilder();
  private boolean truncated;

  /** Adds one line (a line break is added). */
  public synchronized void line(String line) {
    text.append(line).append('\n');
    int over = text.length() - CallTime.DEFAULT_LOG_BYTES;
    if (over > 0) {
      text.delete(0, over);
      truncated = true;
    }
  }

  /** Reports what was written, if anything, as {@code inv}'s log. */
  public synchronized void report(Invocation inv) {
    if (text.length() > 0 && inv.callTime() != null) {
      inv.callTime().log(new CallTime.Log("log", text.toString(), truncated));
    }
  }
}
