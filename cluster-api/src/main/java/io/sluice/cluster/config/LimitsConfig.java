package io.sluice.cluster.config;

import io.sluice.cluster.wire.WireLimits;

/**
 * The {@code limits:} section: what the master accepts from clients, so that one caller cannot
 * drive it out of memory or flood it (docs/security.md, Limits). Every refusal names the limit, its
 * value, the size or count refused and the key that changes it ({@link #refusal}). The defaults are
 * generous: they refuse only what no ordinary workflow sends.
 *
 * @param definitionBytes the most bytes of definition text RegisterWorkflow and GetPlacement accept
 * @param nodes the most nodes (top-level and nested) a definition may have
 * @param inputBytes the most bytes of an instance's input ({@code input_json} of Invoke)
 * @param eventBytes the most bytes of one event sent with SendEvent (HTTP {@code /events} bodies
 *     are bounded by {@code http.maxBodySize})
 * @param eventsPerSecond events each client (remote address) may send per second over SendEvent and
 *     HTTP {@code /events} together; 0 for no limit
 * @param eventBurst events a client may send at once before {@code eventsPerSecond} applies
 * @param instancesPerWorkflow instances of one workflow version running at once; 0 for no limit
 * @param grpcMessageBytes the largest gRPC message the master accepts
 * @param heldEventsPerInstance events an instance holds for event waits it has not reached yet (on
 *     workers and in the master's own engines); beyond it an event is reported unmatched
 */
public record LimitsConfig(
    long definitionBytes,
    int nodes,
    long inputBytes,
    long eventBytes,
    double eventsPerSecond,
    int eventBurst,
    int instancesPerWorkflow,
    int grpcMessageBytes,
    int heldEventsPerInstance) {
  public static final long DEFAULT_DEFINITION_BYTES = 8L << 20;
  public static final int DEFAULT_NODES = 100_000;
  public static final long DEFAULT_INPUT_BYTES = 20L << 20;
  public static final long DEFAULT_EVENT_BYTES = 4L << 20;
  public static final double DEFAULT_EVENTS_PER_SECOND = 1_000;
  public static final int DEFAULT_EVENT_BURST = 2_000;
  public static final int DEFAULT_INSTANCES_PER_WORKFLOW = 0;
  public static final int DEFAULT_HELD_EVENTS_PER_INSTANCE = 1_000;

  /** gRPC needs room for its envelope: no message limit below 1 MiB. */
  public static final int MIN_GRPC_MESSAGE_BYTES = 1 << 20;

  public static final LimitsConfig DEFAULT =
      new LimitsConfig(
          DEFAULT_DEFINITION_BYTES,
          DEFAULT_NODES,
          DEFAULT_INPUT_BYTES,
          DEFAULT_EVENT_BYTES,
          DEFAULT_EVENTS_PER_SECOND,
          DEFAULT_EVENT_BURST,
          DEFAULT_INSTANCES_PER_WORKFLOW,
          WireLimits.MAX_MESSAGE_BYTES,
          DEFAULT_HELD_EVENTS_PER_INSTANCE);

  public LimitsConfig {
    positive("definitionSize", definitionBytes);
    positive("nodes", nodes);
    positive("inputSize", inputBytes);
    positive("eventSize", eventBytes);
    if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException(
          "limits eventsPerSecond must be >= 0 (0: no limit), got " + eventsPerSecond);
    }
    if (eventsPerSecond > 0 && eventBurst < 1) {
      throw new IllegalArgumentException("limits eventBurst must be >= 1, got " + eventBurst);
    }
    if (instancesPerWorkflow < 0) {
      throw new IllegalArgumentException(
          "limits instancesPerWorkflow must be >= 0 (0: no limit), got " + instancesPerWorkflow);
    }
    if (heldEventsPerInstance < 0) {
      throw new IllegalArgumentException(
          "limits heldEventsPerInstance must be >= 0, got " + heldEventsPerInstance);
    }
    if (grpcMessageBytes < MIN_GRPC_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "limits grpcMessageSize must be at least 1 MiB, got " + grpcMessageBytes);
    }
  }

  /** These limits with another event rate (tests, benchmarks). */
  public LimitsConfig withEventRate(double perSecond, int burst) {
    return new LimitsConfig(
        definitionBytes,
        nodes,
        inputBytes,
        eventBytes,
        perSecond,
        burst,
        instancesPerWorkflow,
        grpcMessageBytes,
        heldEventsPerInstance);
  }

  /**
   * The one-line refusal of a value over a limit, e.g. {@code "input of 25165824 bytes is over
   * limits.inputSize (20971520 bytes); raise limits.inputSize in the cluster config"}.
   */
  public static String refusal(String what, long got, String key, long limit, String unit) {
    String u = unit == null || unit.isEmpty() ? "" : " " + unit;
    return what
        + " of "
        + got
        + u
        + " is over limits."
        + key
        + " ("
        + limit
        + u
        + "); raise limits."
        + key
        + " in the cluster config";
  }

  private static void positive(String key, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("limits " + key + " must be >= 1, got " + value);
    }
  }
}
