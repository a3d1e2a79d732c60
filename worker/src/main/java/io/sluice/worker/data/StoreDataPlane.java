package io.sluice.worker.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.api.Transfers;
import io.sluice.engine.data.DataPlane;
import io.sluice.engine.data.JsonSizes;
import io.sluice.faastore.Blob;
import io.sluice.faastore.DataKey;
import io.sluice.faastore.DataStore;
import io.sluice.runtime.FunctionException;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link DataPlane} over a FaaStore {@link DataStore} (memory, Redis or tiered): values over the
 * inline threshold go into the store and travel as a reference; values over the maximum value size
 * fail their node with {@code DataTooLarge}.
 */
public final class StoreDataPlane implements DataPlane {
  static final String REF = "$sluiceRef";
  static final String DATA_TOO_LARGE = "DataTooLarge";
  private static final ObjectMapper JSON = io.sluice.model.format.JsonMappers.forValues();

  private final DataStore store;
  private final String workerId;
  private final long inlineThreshold;
  private final long maxValueBytes;
  private final boolean everyValueThroughStore;
  private final Map<String, LongAdder> localBytes = new ConcurrentHashMap<>();

  public StoreDataPlane(
      DataStore store,
      String workerId,
      long inlineThreshold,
      long maxValueBytes,
      boolean everyValueThroughStore) {
    this.store = store;
    this.workerId = workerId;
    this.inlineThreshold = inlineThreshold;
    this.maxValueBytes = maxValueBytes;
    this.everyValueThroughStore = everyValueThroughStore;
  }

  @Override
  public boolean storesLocalValues() {
    return everyValueThroughStore;
  }

  @Override
  public CompletionStage<JsonNode> export(
      String instanceId, String nodeId, JsonNode value, Set<String> consumerWorkers) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(
          new FunctionException(FunctionException.BAD_OUTPUT, e.getMessage(), false));
    }
    if (bytes.length > maxValueBytes) {
      return CompletableFuture.failedFuture(
          new FunctionException(
              DATA_TOO_LARGE,
              "output of node '"
                  + nodeId
                  + "' is "
                  + bytes.length
                  + " bytes, over the store's maximum of "
                  + maxValueBytes
                  + " bytes (store.maxValueSize)",
              false));
    }
    if (bytes.length <= inlineThreshold) {
      return CompletableFuture.completedFuture(value);
    }
    DataKey key = new DataKey(instanceId, nodeId, "out");
    ObjectNode ref = JSON.createObjectNode();
    ref.put(REF, key.toString());
    ref.put("size", bytes.length);
    ref.put("worker", workerId);
    return store.put(key, Blob.wrap(bytes)).thenApply(v -> (JsonNode) ref);
  }

  @Override
  public boolean isReference(JsonNode payload) {
    return payload != null && payload.isObject() && payload.has(REF);
  }

  @Override
  public CompletionStage<JsonNode> resolve(String instanceId, JsonNode payload) {
    if (!isReference(payload)) {
      return CompletableFuture.completedFuture(payload);
    }
    DataKey key = DataKey.parse(payload.get(REF).asText());
    return store
        .get(key)
        .thenApply(
            found -> {
              Blob blob =
                  found.orElseThrow(
                      () ->
                          new FunctionException(
                              "DataLost",
                              "value " + key + " is in no store any more (expired or freed)",
                              false));
              try {
                return JSON.readTree(blob.toByteArray());
              } catch (IOException e) {
                throw new FunctionException(
                    FunctionException.BAD_OUTPUT,
                    "value "
                        + key
                        + " is not JSON: "
                        + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                            ? j.getOriginalMessage()
                            : e.getMessage()),
                    false);
              }
            });
  }

  @Override
  public void countLocal(String instanceId, JsonNode value) {
    localBytes.computeIfAbsent(instanceId, k -> new LongAdder()).add(JsonSizes.estimate(value));
  }

  @Override
  public Transfers transfers(String instanceId) {
    LongAdder local = localBytes.get(instanceId);
    Transfers stored = store.transfers(instanceId);
    return new Transfers(
        stored.localBytes() + (local == null ? 0 : local.sum()),
        stored.peerBytes(),
        stored.redisBytes());
  }

  @Override
  public CompletionStage<Void> release(String instanceId) {
    localBytes.remove(instanceId);
    return store.deleteInstance(instanceId);
  }
}
