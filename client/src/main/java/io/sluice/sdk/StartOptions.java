package io.sluice.sdk;

/**
 * How to start an instance ({@link SluiceClient#start(WorkflowId, Object, StartOptions)}).
 *
 * <p>{@code instanceId} is the idempotency key: starting again with an id the master knows returns
 * that instance instead of a second one. When it is null the client chooses a random one before the
 * first attempt, so a start retried after a lost answer never runs the workflow twice.
 *
 * <p>{@code synthetic}, {@code timeScale} and {@code dataScale} are the knobs of synthetic replays
 * ({@code sluice submit --synthetic --time-scale}): hints' compute times and output sizes are
 * multiplied by them (1 = as written, 0 = none).
 */
public record StartOptions(
    String instanceId, Mode mode, boolean synthetic, double timeScale, double dataScale) {
  public static final StartOptions DEFAULTS = new StartOptions(null, Mode.DEFAULT, false, 1, 1);

  public StartOptions {
    if (mode == null) {
      mode = Mode.DEFAULT;
    }
    if (timeScale < 0 || dataScale < 0) {
      throw new IllegalArgumentException("scales must not be negative");
    }
  }

  public static StartOptions defaults() {
    return DEFAULTS;
  }

  /** The same with a client-chosen instance id (the idempotency key). */
  public StartOptions instanceId(String id) {
    return new StartOptions(id, mode, synthetic, timeScale, dataScale);
  }

  public StartOptions mode(Mode m) {
    return new StartOptions(instanceId, m, synthetic, timeScale, dataScale);
  }

  /** Unknown functions run on the synthetic runtime, their compute and data times scaled. */
  public StartOptions synthetic(double timeScale, double dataScale) {
    return new StartOptions(instanceId, mode, true, timeScale, dataScale);
  }
}
