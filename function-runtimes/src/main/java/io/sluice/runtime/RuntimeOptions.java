package io.sluice.runtime;

import io.sluice.runtime.security.FunctionAllowList;
import io.sluice.runtime.security.RunAs;
import io.sluice.time.Scheduler;
import java.util.Objects;

/**
 * What every runtime is built with.
 *
 * @param scheduler time and timers
 * @param timeScale the synthetic runtime sleeps {@code computeTime * timeScale} (0 = no sleep)
 * @param dataScale the synthetic runtime outputs {@code outputBytes * dataScale} bytes
 * @param maxOutputBytes largest output a function may return; larger fails with {@code BadOutput}
 * @param listener hears every invocation ({@link InvocationListener#NONE}: nothing is measured)
 * @param secrets where the worker reads the secrets function settings refer to ({@link
 *     Secrets#ENVIRONMENT} unless the worker's config names a secrets folder)
 * @param allow what the {@code http} runtime checks each call's URL against ({@link
 *     FunctionAllowList#ANY}: nothing; a worker's runtimes for deployments not registered by an
 *     admin carry {@code security.allow})
 * @param runAs the user {@code process} functions run as, or null: as this process
 */
public record RuntimeOptions(
    Scheduler scheduler,
    double timeScale,
    double dataScale,
    long maxOutputBytes,
    InvocationListener listener,
    Secrets secrets,
    FunctionAllowList allow,
    RunAs runAs) {
  public static final long DEFAULT_MAX_OUTPUT_BYTES = 256L * 1024 * 1024;

  public RuntimeOptions {
    Objects.requireNonNull(scheduler, "scheduler");
    listener = listener == null ? InvocationListener.NONE : listener;
    secrets = secrets == null ? Secrets.ENVIRONMENT : secrets;
    allow = allow == null ? FunctionAllowList.ANY : allow;
    if (timeScale < 0 || dataScale < 0) {
      throw new IllegalArgumentException(
          "time and data scale must not be negative: " + timeScale + ", " + dataScale);
    }
    if (maxOutputBytes <= 0) {
      throw new IllegalArgumentException("maxOutputBytes must be positive: " + maxOutputBytes);
    }
  }

  /** Options that check no call and run processes as this process. */
  public RuntimeOptions(
      Scheduler scheduler,
      double timeScale,
      double dataScale,
      long maxOutputBytes,
      InvocationListener listener,
      Secrets secrets) {
    this(scheduler, timeScale, dataScale, maxOutputBytes, listener, secrets, null, null);
  }

  /** Options whose secrets come from the environment only. */
  public RuntimeOptions(
      Scheduler scheduler,
      double timeScale,
      double dataScale,
      long maxOutputBytes,
      InvocationListener listener) {
    this(scheduler, timeScale, dataScale, maxOutputBytes, listener, Secrets.ENVIRONMENT);
  }

  /** Options whose invocations nobody hears. */
  public RuntimeOptions(
      Scheduler scheduler, double timeScale, double dataScale, long maxOutputBytes) {
    this(scheduler, timeScale, dataScale, maxOutputBytes, InvocationListener.NONE);
  }

  /**
   * These options at other scales, with the same listener (an engine's per-deployment runtimes).
   */
  public RuntimeOptions scaled(double time, double data) {
    return new RuntimeOptions(
        scheduler, time, data, maxOutputBytes, listener, secrets, allow, runAs);
  }

  public RuntimeOptions withListener(InvocationListener l) {
    return new RuntimeOptions(
        scheduler, timeScale, dataScale, maxOutputBytes, l, secrets, allow, runAs);
  }

  /** These options reading secrets from {@code s}. */
  public RuntimeOptions withSecrets(Secrets s) {
    return new RuntimeOptions(
        scheduler, timeScale, dataScale, maxOutputBytes, listener, s, allow, runAs);
  }

  /** These options checking {@code http} calls' URLs against {@code a}. */
  public RuntimeOptions withAllow(FunctionAllowList a) {
    return new RuntimeOptions(
        scheduler, timeScale, dataScale, maxOutputBytes, listener, secrets, a, runAs);
  }

  /** These options running {@code process} functions as {@code user} (null: as this process). */
  public RuntimeOptions withRunAs(RunAs user) {
    return new RuntimeOptions(
        scheduler, timeScale, dataScale, maxOutputBytes, listener, secrets, allow, user);
  }

  public static RuntimeOptions of(Scheduler scheduler) {
    return new RuntimeOptions(scheduler, 1.0, 1.0, DEFAULT_MAX_OUTPUT_BYTES);
  }
}
