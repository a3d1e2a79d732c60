package io.sluice.master.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.WorkflowGraph;
import io.sluice.testing.Property;
import io.sluice.testing.RandomDags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Both partitioners on seeded random DAGs and random worker capacities, against the contract in
 * {@link Partitioner} and {@code Cluster}: the same input gives the same placement whatever the
 * order of the workers, every node lands on one of the given workers, and (critical path) no worker
 * takes more nodes than its room — its free slots capped by the group size cap when the cluster has
 * room for every node, else its share scaled up in proportion to its free slots (even shares when
 * nobody reports a free slot). Memory is not a limit: an output that does not fit spills to the
 * remote store.
 */
class PartitionerPropertiesTest {
  private static final long MB = 1L << 20;

  private static List<WorkerCapacity> workers(SplittableRandom random) {
    int n = random.nextInt(1, 7);
    boolean noSlots = random.nextInt(10) == 0;
    List<WorkerCapacity> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          new WorkerCapacity(
              "w" + random.nextInt(1000) + "-" + i,
              noSlots ? 0 : random.nextInt(0, 12),
              random.nextLong(0, 200) * MB));
    }
    return list;
  }

  private static PartitionOptions options(SplittableRandom random) {
    PartitionOptions o = PartitionOptions.DEFAULTS;
    return random.nextInt(3) == 0 ? o.withGroupSizeCap(random.nextInt(1, 20)) : o;
  }

  private static List<WorkerCapacity> shuffled(List<WorkerCapacity> in, SplittableRandom random) {
    List<WorkerCapacity> out = new ArrayList<>(in);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      WorkerCapacity t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }

  private static void placesEveryNodeOnAGivenWorker(
      WorkflowGraph g, List<WorkerCapacity> workers, Placement p) {
    TreeSet<String> ids = new TreeSet<>();
    workers.forEach(w -> ids.add(w.workerId()));
    assertThat(p.workers()).containsOnlyKeys(g.nodes().keySet());
    assertThat(p.workers().values()).allSatisfy(w -> assertThat(ids).contains(w));
  }

  @Test
  void criticalPathIsDeterministicCompleteAndWithinEachWorkersRoom() {
    Partitioner partitioner = Partitioner.criticalPath();
    Property.named("critical-path-partitioner", 400)
        .check(
            (random, seed, index) -> {
              WorkflowGraph g =
                  RandomDags.generate(random, RandomDags.Shape.MEDIUM, "f", "synthetic");
              List<WorkerCapacity> workers = workers(random);
              PartitionOptions opts = options(random);
              Placement p = partitioner.partition(g, workers, opts);

              assertThat(partitioner.partition(g, workers, opts)).isEqualTo(p);
              assertThat(partitioner.partition(g, shuffled(workers, random), opts)).isEqualTo(p);
              placesEveryNodeOnAGivenWorker(g, workers, p);

              int nodes = g.nodes().size();
              long totalSlots = workers.stream().mapToLong(WorkerCapacity::freeSlots).sum();
              Map<String, Integer> perWorker = p.nodesPerWorker();
              long room = 0;
              for (WorkerCapacity w : workers) {
                room += room(w, nodes, totalSlots, workers.size(), opts);
              }
              if (room >= nodes) { // the cap leaves room for every node: the limits hold
                for (WorkerCapacity w : workers) {
                  assertThat(perWorker.getOrDefault(w.workerId(), 0))
                      .as(
                          "nodes on %s (free slots %d, %d nodes)",
                          w.workerId(), w.freeSlots(), nodes)
                      .isLessThanOrEqualTo(room(w, nodes, totalSlots, workers.size(), opts));
                }
              }
            });
  }

  /** What Cluster's contract gives one worker: free slots, or its scaled share, under the cap. */
  private static int room(
      WorkerCapacity w, int nodes, long totalSlots, int workerCount, PartitionOptions opts) {
    long share;
    if (totalSlots == 0) {
      share = (nodes + workerCount - 1) / workerCount;
    } else if (nodes > totalSlots) {
      share = (w.freeSlots() * (long) nodes + totalSlots - 1) / totalSlots;
    } else {
      share = w.freeSlots();
    }
    return (int) Math.min(share, opts.groupSizeCap());
  }

  @Test
  void hashIsDeterministicCompleteAndFollowsTheIdHash() {
    Partitioner partitioner = Partitioner.hash();
    Property.named("hash-partitioner", 400)
        .check(
            (random, seed, index) -> {
              WorkflowGraph g =
                  RandomDags.generate(random, RandomDags.Shape.MEDIUM, "f", "synthetic");
              List<WorkerCapacity> workers = workers(random);
              PartitionOptions opts = options(random);
              Placement p = partitioner.partition(g, workers, opts);

              assertThat(partitioner.partition(g, shuffled(workers, random), opts)).isEqualTo(p);
              placesEveryNodeOnAGivenWorker(g, workers, p);
              List<String> sorted =
                  workers.stream().map(WorkerCapacity::workerId).sorted().toList();
              g.nodes()
                  .keySet()
                  .forEach(
                      id ->
                          assertThat(p.workerOf(id))
                              .isEqualTo(sorted.get(Math.floorMod(id.hashCode(), sorted.size()))));
            });
  }
}
