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
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A wait's timer survives its worker: the part taken over from a dead worker waits only what is
 * left of the deadline recorded when the wait started, not the whole duration again.
 */
class DurableTimerTest {
  private static final String FLOW =
      """
      sluice: "1.0"
      name: nap
      version: "1"
      nodes:
        - {id: nap, type: wait, duration: 10s, next: done}
        - {id: done, type: pass}
      """;

  @Test
  void anAdoptedWaitFiresAtItsRecordedDeadline() throws Exception {
    ManualScheduler clock = new ManualScheduler();
    MemoryJournal journal = new MemoryJournal();
    Map<String, WorkerEngine> engines = new ConcurrentHashMap<>();
    Map<String, PartResult> ends = new ConcurrentHashMap<>();
    WorkflowGraph g = new WorkflowLoader().load("nap.yaml", FLOW);
    WorkflowKey key = new WorkflowKey("nap", "1");
    Map<String, String> placement = Map.of("nap", "w1", "done", "w2");
    for (String w : List.of("w1", "w2")) {
      FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(clock));
      EventRouter router =
          new EventRouter() {
            @Override
            public void send(String to, EdgeEvent e) {
              // w1 is dead once w2 stands in for it: w2 takes what was for w1
              engines.getOrDefault(to, engines.get("w2")).receive(e);
            }

            @Override
            public void partFinished(PartResult r) {
              ends.put(r.workerId(), r);
            }
          };
      WorkerEngine e = WorkerEngine.create(w, EngineOptions.of(rt), router, List.of());
      e.journal(journal);
      e.deploy(key, g, placement, Binding.defaults());
      engines.put(w, e);
    }
    var input = JsonNodeFactory.instance.objectNode().put("x", 1);
    journal.started(new InstanceRecord("i1", key, input, placement, 0, null));
    engines.get("w1").start("i1", key, input);
    engines.get("w2").start("i1", key, input);
    Awaitility.await().until(() -> clock.pending() > 0); // the wait started on w1

    clock.advance(Duration.ofSeconds(6));
    WorkerEngine dead = engines.remove("w1");
    dead.close();
    engines
        .get("w2")
        .adopt("i1", key, placement, "w1", journal.load("i1").toCompletableFuture().get().get());

    clock.advance(Duration.ofMillis(3_900));
    // a wrongly early timer would end w1's part now: it must stay running for a while
    Awaitility.await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !ends.containsKey("w1"));

    clock.advance(Duration.ofMillis(200));
    Awaitility.await().until(() -> ends.containsKey("w1") && ends.containsKey("w2"));
    assertThat(ends.get("w1").state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(ends.get("w2").state()).isEqualTo(InstanceState.COMPLETED);
    engines.values().forEach(WorkerEngine::close);
  }
}
