package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one instance's part has exported for other workers (cluster mode only): per node, the value
 * or reference its remote edges carry, and a result waiting for its export to finish. Confined to
 * the instance's thread.
 */
final class Exports {
  /** Per node: what its edges to other workers carry (the value itself, or a reference). */
  final JsonNode[] value;

  /** Per node: a result whose export is under way, and the switch branch it takes. */
  final JsonNode[] pendingResult;

  final int[] pendingBranch;

  /** Edge events sent to other workers. */
  long edgesSent;

  Exports(int nodes) {
    value = new JsonNode[nodes];
    pendingResult = new JsonNode[nodes];
    pendingBranch = new int[nodes];
  }

  /** What an edge from node {@code from} carries, given the node's result. */
  JsonNode outgoing(int from, JsonNode payload) {
    return payload != null && value[from] != null ? value[from] : payload;
  }
}
