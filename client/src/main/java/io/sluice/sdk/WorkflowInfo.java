package io.sluice.sdk;

import java.time.Instant;
import java.util.List;

/** A registered workflow version ({@link SluiceClient#listWorkflows}). */
public record WorkflowInfo(
    WorkflowId workflow,
    int nodeCount,
    List<String> entryNodes,
    Instant registered,
    boolean retired,
    int runningInstances) {}
