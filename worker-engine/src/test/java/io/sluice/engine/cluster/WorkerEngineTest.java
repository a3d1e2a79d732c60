package io.sluice.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.EngineOptions;
import io.sluice.model.Edge;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.Node;
import io.sluice.model.NodeOptions;
import io.sluice.model.PassNode;
import io.sluice.model.SwitchNode;
import io.sluice.model.TaskNode;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.java.JavaRuntime;
import io.sluice.time.SystemScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three worker engines wired in memory: WorkerSP semantics without the network. */
class WorkerEngineTest {
  private static final ObjectMapper M = new ObjectMapper();
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final Map<String, WorkerEngine> workers = new ConcurrentHashMap<>();
  private final Map<String, InstanceCompletion> completions = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<InstanceCompletion.Outcome>> outcomes =
      new ConcurrentHashMap<>();
  private final List<EdgeEvent> sent = new CopyOnWriteArrayList<>();
  private final List<EdgeEvent> delivered = new CopyOnWriteArrayList<>();
  private final AtomicInteger duplicates = new AtomicInteger();
  private volatile boolean duplicate;
  private volatile String holdBackFor;
  private final List<Runnable> heldBack = new CopyOnWriteArrayList<>();

  WorkerEngineTest() {
    for (String w : List.of("w1", "w2", "w3")) {
      RuntimeOptions o = RuntimeOptions.of(scheduler);
      JavaRuntime java =
          JavaRuntime.create(o)
              .register("inc", (in, ctx) -> IntNode.valueOf(in.asInt() + 1))
              .register("id", (in, ctx) -> in);
      FunctionRuntimes rt = FunctionRuntimes.load(o);
      EventRouter router =
          new EventRouter() {
            @Override
            public void send(String workerId, EdgeEvent e) {
              sent.add(e);
              Runnable deliver = () -> workers.get(workerId).receive(e);
              if (workerId.equals(holdBackFor)) {
                heldBack.add(deliver);
                return;
              }
              deliver.run();
              delivered.add(e);
              if (duplicate) {
                duplicates.incrementAndGet();
                deliver.run();
              }
            }

            @Override
            public void partFinished(PartResult r) {
              completions
                  .get(r.instanceId())
                  .accept(r)
                  .ifPresent(out -> outcomes.get(r.instanceId()).complete(out));
            }
          };
      workers.put(
          w, WorkerEngine.create(w, EngineOptions.of(rt).withThreads(1), router, List.of(java)));
    }
  }

  @AfterEach
  void close() {
    workers.values().forEach(WorkerEngine::close);
    scheduler.close();
  }

  private InstanceCompletion.Outcome run(
      WorkflowGraph g, Map<String, String> placement, JsonNode input, String id) throws Exception {
    WorkflowKey key = new WorkflowKey(g.name(), g.version());
    for (WorkerEngine w : workers.values()) {
      w.deploy(key, g, placement, Binding.defaults());
    }
    Set<String> used = Set.copyOf(placement.values());
    completions.put(id, new InstanceCompletion(g, input, used));
    outcomes.put(id, new CompletableFuture<>());
    for (String w : used) {
      if (!w.equals(holdBackFor)) {
        workers.get(w).start(id, key, input);
      }
    }
    return outcomes.get(id).get(10, TimeUnit.SECONDS);
  }

  private static WorkflowGraph graph(String name, List<Node> nodes, List<Edge> edges) {
    Map<String, Node> m = new LinkedHashMap<>();
    nodes.forEach(n -> m.put(n.id(), n));
    return new WorkflowGraph(
        name,
        "1",
        m,
        edges,
        List.of(),
        Map.of(
            "inc", new FunctionDef("inc", "java", null, Location.UNKNOWN),
            "id", new FunctionDef("id", "java", null, Location.UNKNOWN)),
        null,
        null);
  }

  private static WorkflowGraph chain() {
    return graph(
        "chain",
        List.of(
            new TaskNode("a", "inc", null),
            new TaskNode("b", "inc", null),
            new TaskNode("c", "inc", null)),
        List.of(Edge.next("a", "b"), Edge.next("b", "c")));
  }

  @Test
  void aChainAcrossThreeWorkersHopsWorkerToWorker() throws Exception {
    var out = run(chain(), Map.of("a", "w1", "b", "w2", "c", "w3"), IntNode.valueOf(1), "i1");
    assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().asInt()).isEqualTo(4);
    assertThat(out.crossWorkerEvents()).isEqualTo(2);
    assertThat(out.workersUsed()).containsExactlyInAnyOrder("w1", "w2", "w3");
    assertThat(sent).extracting(EdgeEvent::to).containsExactly("b", "c");
  }

  @Test
  void redeliveredEdgeEventsCountOnce() throws Exception {
    duplicate = true;
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    nodes.add(new TaskNode("src", "id", null));
    for (int i = 0; i < 10; i++) {
      nodes.add(new TaskNode("m" + i, "inc", null));
      edges.add(Edge.next("src", "m" + i));
      edges.add(Edge.next("m" + i, "join"));
    }
    nodes.add(new PassNode("join", NodeOptions.DEFAULT.withOutput(Expr.of("[.[]] | add"))));
    Map<String, String> placement = new LinkedHashMap<>();
    placement.put("src", "w1");
    placement.put("join", "w3");
    for (int i = 0; i < 10; i++) {
      placement.put("m" + i, i % 2 == 0 ? "w1" : "w2");
    }
    var out = run(graph("fan", nodes, edges), placement, IntNode.valueOf(1), "i2");
    assertThat(duplicates.get()).isPositive();
    assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().asInt()).isEqualTo(20);
    assertThat(out.invocations()).isEqualTo(11);
  }

  /**
   * Two placements of one workflow whose {@code Map#hashCode} is equal (easy with ids like w1/w2:
   * the chaos test met such a pair): an instance started with the older one after the newer was
   * deployed runs with its own partition, not the newer one's (its edges reached workers that did
   * not hold their targets, and the instance never ended).
   */
  @Test
  void anInstanceRunsWithItsOwnPlacementWhenAnotherHasTheSameMapHash() throws Exception {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    nodes.add(new TaskNode("src", "id", null));
    for (int i = 0; i < 6; i++) {
      nodes.add(new TaskNode("m" + i, "inc", null));
      edges.add(Edge.next("src", "m" + i));
      edges.add(Edge.next("m" + i, "join"));
    }
    nodes.add(new PassNode("join", NodeOptions.DEFAULT.withOutput(Expr.of("[.[]] | add"))));
    WorkflowGraph g = graph("collide", nodes, edges);
    List<String> ids = new ArrayList<>(List.of("src", "join"));
    for (int i = 0; i < 6; i++) {
      ids.add("m" + i);
    }
    // every placement of the 8 nodes over w1..w3 with src on w1, keyed by Map#hashCode
    Map<Integer, Map<String, String>> byHash = new java.util.HashMap<>();
    Map<String, String> older = null;
    Map<String, String> newer = null;
    for (int code = 0; code < 2187 && older == null; code++) { // 3^7
      Map<String, String> p = new LinkedHashMap<>();
      p.put("src", "w1");
      int c = code;
      for (String id : ids.subList(1, ids.size())) {
        p.put(id, "w" + (1 + c % 3));
        c /= 3;
      }
      Map<String, String> seen = byHash.putIfAbsent(p.hashCode(), p);
      if (seen != null && !seen.get("join").equals(p.get("join"))) {
        older = seen;
        newer = p;
      }
    }
    assertThat(older).as("two placements with one Map#hashCode and the join elsewhere").isNotNull();
    assertThat(io.sluice.cluster.api.PlacementId.of(older))
        .isNotEqualTo(io.sluice.cluster.api.PlacementId.of(newer));
    WorkflowKey key = new WorkflowKey(g.name(), g.version());
    for (WorkerEngine w : workers.values()) {
      w.deploy(key, g, older, Binding.defaults());
      w.deploy(key, g, newer, Binding.defaults());
    }
    Set<String> used = Set.copyOf(older.values());
    completions.put("i9", new InstanceCompletion(g, IntNode.valueOf(1), used));
    outcomes.put("i9", new CompletableFuture<>());
    long id = io.sluice.cluster.api.PlacementId.of(older);
    for (String w : used) {
      workers.get(w).start("i9", key, IntNode.valueOf(1), id);
    }
    var out = outcomes.get("i9").get(10, TimeUnit.SECONDS);
    assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().asInt()).isEqualTo(12);
  }

  @Test
  void eventsForAPartNotStartedYetAreHeldUntilItStarts() throws Exception {
    holdBackFor = null;
    WorkflowGraph g = chain();
    WorkflowKey key = new WorkflowKey("chain", "1");
    for (WorkerEngine w : workers.values()) {
      w.deploy(key, g, Map.of("a", "w1", "b", "w2", "c", "w2"), Binding.defaults());
    }
    completions.put("i3", new InstanceCompletion(g, IntNode.valueOf(0), Set.of("w1", "w2")));
    outcomes.put("i3", new CompletableFuture<>());
    workers.get("w1").start("i3", key, IntNode.valueOf(0));
    // receive() returned on w2 for the edge event before w2 heard of the instance
    org.awaitility.Awaitility.await().until(() -> !delivered.isEmpty());
    workers.get("w2").start("i3", key, IntNode.valueOf(0));
    var out = outcomes.get("i3").get(10, TimeUnit.SECONDS);
    assertThat(out.output().asInt()).isEqualTo(3);
  }

  @Test
  void aSwitchOnOneWorkerSkipsBranchesOnOthers() throws Exception {
    WorkflowGraph g =
        graph(
            "switch",
            List.of(
                new SwitchNode(
                    "route", List.of(new SwitchNode.Case(Expr.of(".big"), "big")), "small", null),
                new TaskNode("big", "id", null),
                new TaskNode("small", "id", null),
                new PassNode("after", NodeOptions.DEFAULT.withOutput(Expr.of("{done: .big}")))),
            List.of(
                new Edge("route", "big", Edge.Kind.BRANCH),
                new Edge("route", "small", Edge.Kind.BRANCH),
                Edge.next("big", "after"),
                Edge.next("small", "after")));
    Map<String, String> placement =
        Map.of("route", "w1", "big", "w2", "small", "w3", "after", "w3");
    var out = run(g, placement, M.readTree("{\"big\":true}"), "i4");
    assertThat(out.output().get("done").asBoolean()).isTrue();
    assertThat(out.nodesSkipped()).isEqualTo(1);
  }
}
