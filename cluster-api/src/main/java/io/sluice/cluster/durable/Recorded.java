package io.sluice.cluster.durable;

import io.sluice.cluster.api.EdgeEvent;
import java.util.List;
import java.util.Map;

/**
 * Everything a journal holds of one instance.
 *
 * @param start the start record (null if the master's write was lost with it)
 * @param calls call key to recorded outcome
 * @param edges the edge events accepted by any worker, each once (by edge index)
 * @param parts part worker id to the serialized part result, for the parts that ended
 * @param moves part worker id to the worker that runs it now, for the parts that moved
 * @param end the final status recorded when the instance ended (null while it runs)
 */
public record Recorded(
    InstanceRecord start,
    Map<String, CallOutcome> calls,
    List<EdgeEvent> edges,
    Map<String, byte[]> parts,
    Map<String, String> moves,
    byte[] end) {

  public Recorded {
    calls = Map.copyOf(calls);
    edges = List.copyOf(edges);
    parts = Map.copyOf(parts);
    moves = Map.copyOf(moves);
  }

  /** A record of an instance none of whose parts moved. */
  public Recorded(
      InstanceRecord start,
      Map<String, CallOutcome> calls,
      List<EdgeEvent> edges,
      Map<String, byte[]> parts) {
    this(start, calls, edges, parts, Map.of(), null);
  }

  /** A record of an instance that has not ended. */
  public Recorded(
      InstanceRecord start,
      Map<String, CallOutcome> calls,
      List<EdgeEvent> edges,
      Map<String, byte[]> parts,
      Map<String, String> moves) {
    this(start, calls, edges, parts, moves, null);
  }
}
