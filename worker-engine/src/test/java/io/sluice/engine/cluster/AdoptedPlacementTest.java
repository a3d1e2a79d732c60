package io.sluice.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.durable.InstanceRecord;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.engine.EngineOptions;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One worker takes over a dead worker's parts of two instances whose placements differ but have the
 * same {@code Map#hashCode}: each adopted part runs with its own instance's placement. (A cache of
 * adopted partitions keyed by that hash once gave the second instance the first one's partition:
 * its edge events went to a worker that did not hold their targets and the instance never ended;
 * found by the chaos test.)
 */
class AdoptedPlacementTest {
  private static final String FLOW =
      """
      sluice: "1.0"
      name: fan
      version: "1"
      nodes:
        - {id: src, type: pass, next: [m0, m1, m2, m3, m4, m5]}
        - {id: m0, type: pass, next: join}
        - {id: m1, type: pass, next: join}
        - {id: m2, type: pass, next: join}
        - {id: m3, type: pass, next: join}
        - {id: m4, type: pass, next: join}
        - {id: m5, type: pass, next: join}
        - {id: join, type: pass}
      """;

  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final Map<String, WorkerEngine> engines = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    engines.values().forEach(WorkerEngine::close);
    scheduler.close();
  }

  @Test
  void eachAdoptedPartRunsWithItsOwnPlacement() throws Exception {
    // Two placements with src on w3, w1 holding some middle nodes, one Map#hashCode, and the join
    // on different workers.
    List<String> rest = List.of("m0", "m1", "m2", "m3", "m4", "m5", "join");
    Map<Integer, Map<String, String>> byHash = new HashMap<>();
    Map<String, String> first = null;
    Map<String, String> second = null;
    for (int code = 0; code < 2187 && first == null; code++) { // 3^7
      Map<String, String> p = new LinkedHashMap<>();
      p.put("src", "w3");
      int c = code;
      for (String id : rest) {
        p.put(id, "w" + (1 + c % 3));
        c /= 3;
      }
      if (p.get("join").equals("w1") || !p.containsValue("w1")) {
        continue; // the join stays on a live worker; w1 holds something to adopt
      }
      Map<String, String> seen = byHash.putIfAbsent(p.hashCode(), p);
      if (seen != null && !seen.get("join").equals(p.get("join"))) {
        first = seen;
        second = p;
      }
    }
    assertThat(first).as("two such placements").isNotNull();

    MemoryJournal journal = new MemoryJournal();
    Map<String, PartResult> ends = new ConcurrentHashMap<>();
    WorkflowGraph g = new WorkflowLoader().load("fan.yaml", FLOW);
    WorkflowKey key = new WorkflowKey("fan", "1");
    for (String w : List.of("w2", "w3")) {
      EventRouter router =
          new EventRouter() {
            @Override
            public void send(String to, EdgeEvent e) {
              // w1 is dead: w2 stands in for it
              engines.getOrDefault(to, engines.get("w2")).receive(e);
            }

            @Override
            public void partFinished(PartResult r) {
              ends.put(r.instanceId() + "/" + r.workerId(), r);
            }
          };
      WorkerEngine e =
          WorkerEngine.create(
              w,
              EngineOptions.of(FunctionRuntimes.load(RuntimeOptions.of(scheduler))),
              router,
              List.of());
      e.journal(journal);
      engines.put(w, e);
    }
    var input = JsonNodeFactory.instance.objectNode();
    int n = 0;
    for (Map<String, String> placement : List.of(first, second)) {
      String id = "i" + ++n;
      for (WorkerEngine e : engines.values()) {
        e.deploy(key, g, placement, Binding.defaults());
      }
      journal.started(new InstanceRecord(id, key, input, placement, 0, null));
      engines
          .get("w2")
          .adopt(id, key, placement, "w1", journal.load(id).toCompletableFuture().get().get());
      for (String w : new java.util.TreeSet<>(placement.values())) {
        if (!w.equals("w1")) {
          engines.get(w).start(id, key, input);
        }
      }
      Map<String, String> p = placement;
      String instance = id;
      Awaitility.await()
          .until(
              () ->
                  new java.util.TreeSet<>(p.values())
                      .stream().allMatch(w -> ends.containsKey(instance + "/" + w)));
      for (String w : new java.util.TreeSet<>(p.values())) {
        assertThat(ends.get(id + "/" + w).state())
            .as(id + " part " + w)
            .isEqualTo(InstanceState.COMPLETED);
      }
    }
  }
}
