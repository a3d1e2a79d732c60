package io.sluice.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one instance's part has exported for other workers (cluster mode only): per node, the value
 * or reference its remote edges carry, and a result waiting for its export to finish; per edge,
 * whether its value is being fetched back from the store. Confined to the instance's thread.
 */
final class Exports {
  /** Per node: what its edges to other workers carry (the value itself, or a reference). */
  final JsonNode[] value;

  /** Per node: a result whose export is under way, and the switch branch it takes. */
  final JsonNode[] pendingResult;

  final String[] pendingChosen;

  /** Per edge: its value went through the store and is being fetched back. */
  final boolean[] deferred;

  /** Edge events sent to other workers. */
  long edgesSent;

  Exports(int nodes, int edges) {
    value = new JsonNode[nodes];
    pendingResult = new JsonNode[nodes];
    pendingChosen = new String[nodes];
    deferred = new boolean[edges];
  }

  /** What edge {@code edge} from node {@code from} carries, given the node's result. */
  JsonNode outgoing(int edge, int from, JsonNode payload) {
    return payload != null && !deferred[edge] && value[from] != null ? value[from] : payload;
  }
}
