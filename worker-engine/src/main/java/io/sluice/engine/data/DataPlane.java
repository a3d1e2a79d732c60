package io.sluice.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.cluster.api.Transfers;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How a worker hands a node's output to consumers on other workers (docs/design.md, FaaStore).
 * Consumers on the same worker always get the value itself, in memory, with no copy — unless the
 * plane sends every value through the store (the FaaSFlow remote-store baseline).
 */
public interface DataPlane {

  /** No store: every value travels inline in the edge event (a new plane with its own counts). */
  static DataPlane inline() {
    return new InlineDataPlane();
  }

  /** Whether values for consumers on this worker also go through the store. */
  boolean storesLocalValues();

  /**
   * Prepares {@code value}, the output of {@code nodeId}, for consumers on {@code consumerWorkers}:
   * the value itself when it is small, else a reference once it is stored. Fails with a {@link
   * io.sluice.runtime.FunctionException} of type {@code DataTooLarge}.
   */
  CompletionStage<JsonNode> export(
      String instanceId, String nodeId, JsonNode value, Set<String> consumerWorkers);

  /** The value behind a received payload: fetches a reference, passes a value through. */
  CompletionStage<JsonNode> resolve(String instanceId, JsonNode payload);

  /** Whether a payload is a reference to a stored value. */
  boolean isReference(JsonNode payload);

  /** Counts a value handed over in memory on this worker. */
  void countLocal(String instanceId, JsonNode value);

  /** Bytes the instance moved: in memory, to peers, through Redis. */
  Transfers transfers(String instanceId);

  /** Frees everything the instance stored here. */
  CompletionStage<Void> release(String instanceId);

  /**
   * Whether this plane may hold values of the instance that other workers still fetch after this
   * worker's part ended (a store): then the master releases it once the whole instance ended. A
   * plane that keeps nothing beyond its counters (inline) is released by the part's own end, and
   * the master sends it no release.
   */
  default boolean retainsValues() {
    return true;
  }

  /**
   * The inline plane: values travel inside edge events. It counts what it hands over: in memory on
   * this worker, and inline to other workers (reported as peer bytes).
   */
  final class InlineDataPlane implements DataPlane {
    private final java.util.Map<String, long[]> moved =
        new java.util.concurrent.ConcurrentHashMap<>();

    InlineDataPlane() {}

    private void add(String instanceId, int slot, JsonNode value) {
      long size = JsonSizes.estimate(value);
      long[] m = moved.computeIfAbsent(instanceId, k -> new long[2]);
      synchronized (m) {
        m[slot] += size;
      }
    }

    @Override
    public boolean storesLocalValues() {
      return false;
    }

    @Override
    public boolean retainsValues() {
      return false;
    }

    @Override
    public CompletionStage<JsonNode> export(
        String instanceId, String nodeId, JsonNode value, Set<String> consumerWorkers) {
      add(instanceId, 1, value);
      return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletionStage<JsonNode> resolve(String instanceId, JsonNode payload) {
      return CompletableFuture.completedFuture(payload);
    }

    @Override
    public boolean isReference(JsonNode payload) {
      return false;
    }

    @Override
    public void countLocal(String instanceId, JsonNode value) {
      add(instanceId, 0, value);
    }

    @Override
    public Transfers transfers(String instanceId) {
      long[] m = moved.get(instanceId);
      if (m == null) {
        return Transfers.NONE;
      }
      synchronized (m) {
        return new Transfers(m[0], m[1], 0);
      }
    }

    @Override
    public CompletionStage<Void> release(String instanceId) {
      moved.remove(instanceId);
      return CompletableFuture.completedFuture(null);
    }
  }
}
