package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.PartResult;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.engine.cluster.EventRouter;
import io.sluice.engine.cluster.InstanceCompletion;
import io.sluice.engine.cluster.WorkerEngine;
import io.sluice.model.WorkflowGraph;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.Property;
import io.sluice.testing.RandomDags;
import io.sluice.time.SystemScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Worker engines (WorkerSP) wired in memory, with the test as the network between them: every edge
 * event a worker sends goes into an inbox, and the test delivers them one at a time in a seeded
 * random order, some several times (duplicates), some only after a random number of later
 * deliveries (delayed), and starts some workers' parts only after events for them have arrived
 * (held early events). On random DAGs with a random placement over 2..4 workers the instance must
 * still run every node exactly once, after all its inputs, with the sequential output.
 *
 * <p>The choices are seeded; which engine thread sends first is not, so a seed fixes the chaos but
 * not every interleaving.
 */
class PartitionedEnginePropertiesTest {
  private static final List<String> WORKERS = List.of("w1", "w2", "w3", "w4");
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final RecordingRuntime runtime = new RecordingRuntime();
  private final Map<String, WorkerEngine> workers = new LinkedHashMap<>();
  private final Map<String, InstanceCompletion> completions = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<InstanceCompletion.Outcome>> outcomes =
      new ConcurrentHashMap<>();
  private final BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
  private final AtomicLong duplicatesDelivered = new AtomicLong();
  private final AtomicLong earlyEvents = new AtomicLong();

  private record Delivery(String worker, EdgeEvent event) {}

  PartitionedEnginePropertiesTest() {
    for (String w : WORKERS) {
      FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
      EventRouter router =
          new EventRouter() {
            @Override
            public void send(String workerId, EdgeEvent e) {
              inbox.add(new Delivery(workerId, e));
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
          w, WorkerEngine.create(w, EngineOptions.of(rt).withThreads(2), router, List.of(runtime)));
    }
  }

  @AfterEach
  void close() {
    workers.values().forEach(WorkerEngine::close);
    runtime.close();
    scheduler.close();
  }

  @Test
  void duplicatedReorderedAndDelayedEdgeEventsChangeNothing() {
    Property.named("partitioned-engine-chaotic-network", 400)
        .check(
            (random, seed, index) -> {
              WorkflowGraph g =
                  RandomDags.generate(random, RandomDags.Shape.MEDIUM, "f", RecordingRuntime.KIND);
              WorkflowKey key = new WorkflowKey(g.name() + "-" + index, "1");
              List<String> pool = WORKERS.subList(0, random.nextInt(2, WORKERS.size() + 1));
              Map<String, String> placement = new LinkedHashMap<>();
              g.nodes()
                  .keySet()
                  .forEach(n -> placement.put(n, pool.get(random.nextInt(pool.size()))));
              runtime.reset(RandomDags.predecessors(g), random.nextLong());
              for (WorkerEngine w : workers.values()) {
                w.deploy(key, g, placement, Binding.defaults());
              }
              String id = "c" + index;
              IntNode input = IntNode.valueOf(random.nextInt(1_000_000));
              DagOracle oracle = new DagOracle(g, input);
              var outcome = run(random, g, key, placement, id, input);
              assertThat(outcome.state())
                  .as("state: %s", outcome.error())
                  .isEqualTo(InstanceState.COMPLETED);
              assertThat(runtime.violations).isEmpty();
              assertThat(runtime.calls.get(id))
                  .containsOnlyKeys(g.nodes().keySet())
                  .allSatisfy((node, n) -> assertThat(n).as(node).isEqualTo(1));
              assertThat(runtime.inputs.get(id)).isEqualTo(oracle.inputs);
              assertThat(outcome.output()).isEqualTo(oracle.output);
              assertThat(outcome.nodesExecuted()).isEqualTo(g.nodes().size());
              assertThat(outcome.invocations()).isEqualTo(g.nodes().size());
              assertThat(outcome.workersUsed()).isSubsetOf(new TreeSet<>(placement.values()));
            });
    // The harness must actually have been chaotic, or the property proves little.
    assertThat(duplicatesDelivered.get()).isPositive();
    assertThat(earlyEvents.get()).isPositive();
    System.out.printf(
        "partitioned-engine-chaotic-network: %d duplicate deliveries, %d events before their part"
            + " started%n",
        duplicatesDelivered.get(), earlyEvents.get());
  }

  /** Runs one instance with the test as its network; returns its outcome. */
  private InstanceCompletion.Outcome run(
      SplittableRandom random,
      WorkflowGraph g,
      WorkflowKey key,
      Map<String, String> placement,
      String id,
      IntNode input)
      throws Exception {
    TreeSet<String> used = new TreeSet<>(placement.values());
    completions.put(id, new InstanceCompletion(g, input, used));
    CompletableFuture<InstanceCompletion.Outcome> outcome = new CompletableFuture<>();
    outcomes.put(id, outcome);
    // Each part starts after a random number of deliveries (0 = right away), in random order.
    Map<String, Integer> startAfter = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(used);
    shuffle(order, random);
    for (String w : order) {
      startAfter.put(w, random.nextInt(3) == 0 ? 0 : random.nextInt(1, 6));
    }
    List<Delivery> pending = new ArrayList<>();
    List<Integer> notBefore = new ArrayList<>();
    TreeSet<String> started = new TreeSet<>();
    int tick = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!outcome.isDone()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "instance " + id + " did not finish; started " + started + ", pending " + pending);
      }
      for (var e : startAfter.entrySet()) {
        if (!started.contains(e.getKey()) && e.getValue() <= tick) {
          started.add(e.getKey());
          workers.get(e.getKey()).start(id, key, input);
        }
      }
      for (Delivery d; (d = inbox.poll()) != null; ) {
        pending.add(d);
        notBefore.add(tick + (random.nextInt(4) == 0 ? random.nextInt(1, 6) : 0));
      }
      List<Integer> eligible = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        if (notBefore.get(i) <= tick) {
          eligible.add(i);
        }
      }
      if (eligible.isEmpty()) {
        if (pending.isEmpty() && started.size() == used.size()) {
          // Nothing in flight: wait for the next event a worker sends, or the outcome.
          Delivery d = inbox.poll(5, TimeUnit.MILLISECONDS);
          if (d != null) {
            inbox.add(d);
          }
          continue;
        }
        tick++; // time passes: delayed events and late starts come due
        continue;
      }
      int pick = eligible.get(random.nextInt(eligible.size()));
      Delivery d = pending.remove(pick);
      notBefore.remove(pick);
      if (!started.contains(d.worker())) {
        earlyEvents.incrementAndGet();
      }
      workers.get(d.worker()).receive(d.event());
      if (random.nextInt(4) == 0) { // deliver it again later
        duplicatesDelivered.incrementAndGet();
        pending.add(d);
        notBefore.add(tick + random.nextInt(0, 4));
      }
      tick++;
    }
    // Duplicates still pending after the end must change nothing either.
    for (Delivery d : pending) {
      workers.get(d.worker()).receive(d.event());
    }
    return outcome.get();
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
