package io.sluice.sdk;

import java.time.Duration;
import java.time.Instant;

/**
 * One node of an instance as the master knows it. {@code state} is one of pending, running,
 * completed, failed, skipped, waiting, retrying. Times are null until known; {@code error} is null
 * unless the node failed; {@code itemsTotal} is 0 unless the node is a map (or a loop).
 */
public record NodeProgress(
    String nodeId,
    String state,
    String workerId,
    int attempts,
    Instant started,
    Instant finished,
    Duration duration,
    ErrorDetail error,
    int itemsDone,
    int itemsTotal) {}
