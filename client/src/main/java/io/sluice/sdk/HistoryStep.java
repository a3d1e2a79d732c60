package io.sluice.sdk;

import java.time.Duration;
import java.time.Instant;

/**
 * One step of an instance's history, as the master recorded it. {@code type} is one of
 * instance.started, node.started, node.completed, node.failed, node.retrying, node.skipped,
 * node.waiting, event.received, part.moved, instance.succeeded, instance.failed,
 * instance.cancelled, instance.redriven. {@code seq} numbers the steps 1, 2, ... in order; node
 * steps name the node (a map item as {@code NODE[INDEX]}), the worker and the attempt; node ends
 * carry how long the attempt ran (else null); {@code detail} is a short text for people.
 */
public record HistoryStep(
    long seq,
    Instant time,
    String type,
    String nodeId,
    String workerId,
    int attempt,
    Duration duration,
    String detail) {}
