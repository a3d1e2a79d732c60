package io.sluice.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.config.StoreConfig;
import io.sluice.cluster.config.StoreMode;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.faastore.InJvmPeerTransport;
import io.sluice.faastore.MemoryStore;
import io.sluice.faastore.TieredStore;
import io.sluice.model.Edge;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.time.SystemScheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outputs between workers through FaaStore: large values leave as references and reach the
 * consumer's worker through the tiered store; small ones stay inline; too large ones fail their
 * node; every byte is freed when the instance is released.
 */
class DataPlaneTest {
  private static final int BIG = 2 << 20;
  private static final int HUGE = 21_000_000;
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final InJvmPeerTransport peers = new InJvmPeerTransport();
  private final Map<String, WorkerEngine> workers = new ConcurrentHashMap<>();
  private final Map<String, io.sluice.faastore.DataStore> stores = new ConcurrentHashMap<>();
  private final Map<String, InstanceCompletion> completions = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<InstanceCompletion.Outcome>> outcomes =
      new ConcurrentHashMap<>();

  private void cluster(boolean everyValueThroughStore, long maxValue) {
    for (String w : List.of("w1", "w2")) {
      RuntimeOptions o = RuntimeOptions.of(scheduler);
      JavaRuntime java =
          JavaRuntime.create(o)
              .register("big", (in, ctx) -> TextNode.valueOf("x".repeat(BIG)))
              // over Jackson's default 20-million-character string limit
              .register("huge", (in, ctx) -> TextNode.valueOf("y".repeat(HUGE)))
              .register(
                  "len", (in, ctx) -> JsonNodeFactory.instance.numberNode(in.asText().length()));
      EventRouter router =
          new EventRouter() {
            @Override
            public void send(String workerId, EdgeEvent e) {
              workers.get(workerId).receive(e);
            }

            @Override
            public void partFinished(PartResult r) {
              completions
                  .get(r.instanceId())
                  .accept(r)
                  .ifPresent(out -> outcomes.get(r.instanceId()).complete(out));
            }
          };
      WorkerEngine engine =
          WorkerEngine.create(
              w, EngineOptions.of(FunctionRuntimes.load(o)).withThreads(1), router, List.of(java));
      StoreConfig config =
          StoreConfig.builder()
              .mode(StoreMode.TIERED)
              .budget(64L << 20)
              .peerPushMaxBytes(16L << 20)
              .maxValueSize(maxValue)
              .build();
      io.sluice.faastore.DataStore store =
          everyValueThroughStore
              ? MemoryStore.create(config, scheduler, Optional.empty())
              : TieredStore.create(
                  config, w, scheduler, Optional.empty(), peers, new EnginePlacement(engine));
      if (store instanceof TieredStore t) {
        peers.register(w, t.peerView());
      }
      engine.dataPlane(new StoreDataPlane(store, w, 64 * 1024, maxValue, everyValueThroughStore));
      workers.put(w, engine);
      stores.put(w, store);
    }
  }

  @AfterEach
  void close() {
    workers.values().forEach(WorkerEngine::close);
    stores.values().forEach(io.sluice.faastore.DataStore::close);
    scheduler.close();
  }

  private InstanceCompletion.Outcome run(Map<String, String> placement, String id)
      throws Exception {
    return run(placement, id, "big");
  }

  private InstanceCompletion.Outcome run(Map<String, String> placement, String id, String fn)
      throws Exception {
    Map<String, Node> nodes = new LinkedHashMap<>();
    nodes.put("produce", new TaskNode("produce", fn, null));
    nodes.put("consume", new TaskNode("consume", "len", null));
    WorkflowGraph g =
        new WorkflowGraph(
            "data",
            "1",
            nodes,
            List.of(Edge.next("produce", "consume")),
            List.of(),
            Map.of(
                "big", new FunctionDef("big", "java", null, Location.UNKNOWN),
                "huge", new FunctionDef("huge", "java", null, Location.UNKNOWN),
                "len", new FunctionDef("len", "java", null, Location.UNKNOWN)),
            null,
            null);
    WorkflowKey key = new WorkflowKey("data", "1");
    workers.values().forEach(w -> w.deploy(key, g, placement, Binding.defaults()));
    Set<String> used = Set.copyOf(placement.values());
    completions.put(id, new InstanceCompletion(g, null, used));
    outcomes.put(id, new CompletableFuture<>());
    used.forEach(w -> workers.get(w).start(id, key, JsonNodeFactory.instance.nullNode()));
    return outcomes.get(id).get(20, TimeUnit.SECONDS);
  }

  @Test
  void aLargeOutputReachesTheOtherWorkerAsAPushedReference() throws Exception {
    cluster(false, 64L << 20);
    var out = run(Map.of("produce", "w1", "consume", "w2"), "d1");
    assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().asInt()).isEqualTo(BIG);
    assertThat(out.bytesPeer()).isGreaterThanOrEqualTo(BIG);
    assertThat(out.bytesRedis()).isZero();
    workers.values().forEach(w -> w.cancel("d1"));
    org.awaitility.Awaitility.await()
        .until(() -> stores.values().stream().allMatch(s -> s.usage().bytes() == 0));
  }

  @Test
  void aValueOverJacksonsDefaultStringLimitStillReachesTheOtherWorker() throws Exception {
    cluster(false, 64L << 20);
    var out = run(Map.of("produce", "w1", "consume", "w2"), "d5", "huge");
    assertThat(out.state()).as(String.valueOf(out.error())).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().asInt()).isEqualTo(HUGE);
  }

  @Test
  void onOneWorkerTheValueStaysInMemoryWithNoStore() throws Exception {
    cluster(false, 64L << 20);
    var out = run(Map.of("produce", "w1", "consume", "w1"), "d2");
    assertThat(out.output().asInt()).isEqualTo(BIG);
    assertThat(out.bytesPeer()).isZero();
    assertThat(out.bytesLocal()).isGreaterThanOrEqualTo(BIG);
    assertThat(stores.get("w1").usage().bytes()).isZero();
  }

  @Test
  void everyValueThroughTheStoreAlsoForLocalConsumers() throws Exception {
    cluster(true, 64L << 20);
    var out = run(Map.of("produce", "w1", "consume", "w1"), "d3");
    assertThat(out.output().asInt()).isEqualTo(BIG);
    assertThat(stores.get("w1").usage().bytes()).isGreaterThanOrEqualTo(BIG);
    workers.get("w1").cancel("d3");
    org.awaitility.Awaitility.await().until(() -> stores.get("w1").usage().bytes() == 0);
  }

  @Test
  void anOutputOverTheMaximumFailsItsNodeCleanly() throws Exception {
    cluster(false, 1L << 20);
    var out = run(Map.of("produce", "w1", "consume", "w2"), "d4");
    assertThat(out.state()).isEqualTo(InstanceState.FAILED);
    assertThat(out.error().nodeId()).isEqualTo("produce");
    assertThat(out.error().type()).isEqualTo("DataTooLarge");
    assertThat(out.error().message()).contains("produce").contains(String.valueOf(BIG + 2));
  }
}
