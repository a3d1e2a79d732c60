package io.sluice.runtime;

/**
 * Hears every function invocation a {@link FunctionRuntimes} makes: which function, on which
 * runtime, how long until its stage completed and whether it failed. A worker's {@code /metrics}
 * counts invocations and their latency with one ({@code WorkerMetrics}).
 *
 * <p>On the hot path of every function node, so it is asked once per runtime and function for a
 * {@link Probe} (which it may cache meters in), and the probe is told each call's end. With {@link
 * #NONE}, the default, {@link FunctionRuntimes} hands out its runtimes unwrapped and nothing is
 * measured at all.
 */
@FunctionalInterface
public interface InvocationListener {
  /** Hears nothing; runtimes are not wrapped. */
  InvocationListener NONE = (runtime, function) -> Probe.NONE;

  /**
   * The probe for calls of {@code function} on the runtime of kind {@code runtime}; asked once per
   * pair and kept. Must not throw.
   */
  Probe probe(String runtime, String function);

  /** Hears the ends of one function's calls. */
  @FunctionalInterface
  interface Probe {
    Probe NONE = (nanos, error) -> {};

    /**
     * One call ended: {@code nanos} from the invoke until its stage completed; {@code error} the
     * failure, or null. Called on the thread that completed the stage; must not block or throw.
     */
    void ended(long nanos, Throwable error);
  }
}
