package io.sluice.sdk;

import java.util.List;
import java.util.Map;

/**
 * What registering a workflow gave: its id (name and version), the master's warnings, and where its
 * nodes run (node id -> worker id, in graph order; empty when no worker was live to place it on).
 */
public record Registration(
    WorkflowId workflow, List<String> warnings, Map<String, String> placement) {}
