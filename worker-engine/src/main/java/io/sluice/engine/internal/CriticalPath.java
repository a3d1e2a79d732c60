package io.sluice.engine.internal;

/**
 * The critical path an instance actually takes, accumulated while it runs: for each completed node,
 * the longest chain of executed nodes ending at it, weighed by compute plus data time; and the
 * longest such chain of the whole instance. An experiment's scheduling overhead is the instance's
 * elapsed time less the compute on this path; its data overhead is the data time on it.
 *
 * <p>A node's own compute is its function calls' time (every attempt; for a call that ran on
 * another host, the time that host reports), or for a map, parallel or sub-workflow its longest
 * child's path, for a loop the sum of its rounds'. Its own data time is the time its result took to
 * export to the store; fetching a value back counts on the edge it travels. In a cluster the path
 * through an edge whose target lives on another worker travels with the edge event, so the path is
 * whole even though no worker sees the whole instance. Confined to the instance's draining thread.
 */
final class CriticalPath {
  /** Per node: its own time until it completes, then its path's (own plus the longest into it). */
  private final long[] compute;

  private final long[] data;

  /** Per edge: the path through its source, set when it resolves carrying a value. */
  private final long[] edgeCompute;

  private final long[] edgeData;

  private long pathCompute;
  private long pathData;

  CriticalPath(int nodes, int edges) {
    compute = new long[nodes];
    data = new long[nodes];
    edgeCompute = new long[edges];
    edgeData = new long[edges];
  }

  /** Node {@code k} spent time: a call, an export, a loop round (added one after another). */
  void add(int k, long computeNanos, long dataNanos) {
    compute[k] += computeNanos;
    data[k] += dataNanos;
  }

  /** One of node {@code k}'s parallel children ended with this path: the longest one counts. */
  void child(int k, long computeNanos, long dataNanos) {
    if (computeNanos + dataNanos > compute[k] + data[k]) {
      compute[k] = computeNanos;
      data[k] = dataNanos;
    }
  }

  /** Node {@code t} completed: its path is the longest path into it plus its own time. */
  void completed(Trigger t) {
    long c = 0;
    long d = 0;
    for (int e : t.inEdges) {
      if (edgeCompute[e] + edgeData[e] > c + d) {
        c = edgeCompute[e];
        d = edgeData[e];
      }
    }
    int k = t.index;
    compute[k] += c;
    data[k] += d;
    if (compute[k] + data[k] > pathCompute + pathData) {
      pathCompute = compute[k];
      pathData = data[k];
    }
  }

  /** Edge {@code edge} from local node {@code from} resolved carrying a value. */
  void carry(int edge, int from) {
    edgeCompute[edge] = compute[from];
    edgeData[edge] = data[from];
  }

  /** Edge {@code edge} arrived from another worker with the path through its source. */
  void arrived(int edge, long computeNanos, long dataNanos) {
    edgeCompute[edge] = computeNanos;
    edgeData[edge] = dataNanos;
  }

  /** Edge {@code edge}'s value was fetched back from the store, taking {@code nanos}. */
  void fetched(int edge, long nanos) {
    edgeData[edge] += nanos;
  }

  long edgeCompute(int edge) {
    return edgeCompute[edge];
  }

  long edgeData(int edge) {
    return edgeData[edge];
  }

  /** The compute time on the longest path so far. */
  long compute() {
    return pathCompute;
  }

  /** The data time on the longest path so far. */
  long data() {
    return pathData;
  }
}
