package io.sluice.cluster.durable;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.WorkflowKey;
import java.util.Map;

/**
 * What the master records when a durable instance starts: enough for any worker to start a part of
 * it again, and for a restarted master to follow it.
 *
 * @param instanceId the instance
 * @param workflow the workflow version
 * @param input the instance's input
 * @param placement node id to worker id, every node (the placement the instance started with)
 * @param startedAtMillis when it started (epoch ms)
 * @param options the run options as the master sent them (serialized {@code RunOptions}; may be
 *     empty)
 * @param startedBy the principal that started it (a client token's or certificate's name), or empty
 *     without authentication: a restarted master keeps refusing it to other {@code submit} callers
 */
public record InstanceRecord(
    String instanceId,
    WorkflowKey workflow,
    JsonNode input,
    Map<String, String> placement,
    long startedAtMillis,
    byte[] options,
    String startedBy) {

  public InstanceRecord {
    placement = Map.copyOf(placement);
    options = options == null ? new byte[0] : options.clone();
    startedBy = startedBy == null ? "" : startedBy;
  }

  /** A record of an instance started without authentication. */
  public InstanceRecord(
      String instanceId,
      WorkflowKey workflow,
      JsonNode input,
      Map<String, String> placement,
      long startedAtMillis,
      byte[] options) {
    this(instanceId, workflow, input, placement, startedAtMillis, options, "");
  }
}
