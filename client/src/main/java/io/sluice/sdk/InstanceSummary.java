package io.sluice.sdk;

import java.time.Duration;
import java.time.Instant;

/**
 * One line of {@link SluiceClient#listInstances}: an instance without its nodes. {@code nodesDone}
 * counts nodes that completed, failed or were skipped; {@code error} is null unless it failed.
 */
public record InstanceSummary(
    String instanceId,
    WorkflowId workflow,
    InstanceState state,
    Mode mode,
    Instant started,
    Instant finished,
    Duration elapsed,
    int nodeCount,
    int nodesDone,
    ErrorDetail error) {}
