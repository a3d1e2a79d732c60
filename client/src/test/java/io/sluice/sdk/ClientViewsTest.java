package io.sluice.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.LocalCluster;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's views of instances, which need issue 12's server side (ListInstances, GetHistory,
 * node-level WatchInstance): a master without them fails these with UNIMPLEMENTED (as {@link
 * UnsupportedByServerException}) or with a watch that has no node updates.
 */
@IntegrationTest // a master and three workers in this JVM over gRPC
class ClientViewsTest {
  static final Path CORPUS = Path.of(System.getProperty("sluice.corpus", "../corpus"));
  static LocalCluster cluster;
  static SluiceClient sluice;

  @BeforeAll
  static void start() {
    cluster = new LocalCluster(3);
    sluice = SluiceClient.connect(cluster.address());
  }

  @AfterAll
  static void stop() {
    sluice.close();
    cluster.close();
  }

  @Test
  void historyTellsWhatTheInstanceDidInOrder() throws Exception {
    WorkflowId hello = sluice.register(ClientTest.ROOT.resolve("examples/hello.yaml")).workflow();
    String id = sluice.start(hello, null);
    assertThat(sluice.await(id).get(60, TimeUnit.SECONDS).succeeded()).isTrue();

    List<HistoryStep> steps = sluice.history(id).toList();
    assertThat(steps).isNotEmpty();
    assertThat(steps.get(0).type()).isEqualTo("instance.started");
    assertThat(steps.get(steps.size() - 1).type()).isEqualTo("instance.succeeded");
    assertThat(steps).extracting(HistoryStep::seq).isSorted().doesNotHaveDuplicates();
    assertThat(steps)
        .filteredOn(s -> s.type().equals("node.completed"))
        .extracting(HistoryStep::nodeId)
        .containsExactlyInAnyOrder("greet", "shout", "done");
    // Paging by hand gives the same steps.
    HistoryPage first = sluice.historyPage(id, 0, 2);
    assertThat(first.steps()).hasSize(2);
    assertThat(first.more()).isTrue();
    assertThat(sluice.historyPage(id, first.lastSeq(), 0).steps().get(0).seq())
        .isEqualTo(steps.get(2).seq());
  }

  @Test
  void instancesAreListedByWorkflowStateAndTime() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    WorkflowId hello = sluice.register(ClientTest.ROOT.resolve("examples/hello.yaml")).workflow();
    String a = sluice.start(hello, null);
    String b = sluice.start(hello, null);
    sluice.await(a).get(60, TimeUnit.SECONDS);
    sluice.await(b).get(60, TimeUnit.SECONDS);

    var mine = InstanceFilter.all().workflow("hello").states(InstanceState.SUCCEEDED);
    assertThat(sluice.listInstances(mine).map(InstanceSummary::instanceId).toList()).contains(a, b);
    // One per page: still both, newest first.
    List<InstanceSummary> paged =
        sluice.listInstances(mine.pageSize(1).startedBetween(before, null)).toList();
    assertThat(paged).extracting(InstanceSummary::instanceId).contains(a, b);
    assertThat(paged)
        .extracting(InstanceSummary::started)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(sluice.listInstances(mine.states(InstanceState.FAILED)).toList()).isEmpty();
    assertThat(
            sluice
                .listInstances(
                    InstanceFilter.all().startedBetween(Instant.now().plusSeconds(60), null))
                .toList())
        .isEmpty();
  }

  @Test
  void aWatchShowsEachNodeAsItRuns() throws Exception {
    WorkflowId genome =
        sluice.register(CORPUS.resolve("faasflow/genome/flat_workflow.yaml")).workflow();
    List<Progress> seen = new CopyOnWriteArrayList<>();
    String id = sluice.start(genome, null, StartOptions.defaults().synthetic(0.001, 1));
    InstanceStatus end = sluice.watch(id, seen::add).result().get(120, TimeUnit.SECONDS);
    assertThat(end.state()).as("%s", end.error()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(seen.get(seen.size() - 1).last()).isTrue();
    // Nodes that completed before the watch began are in the first update's node table; each
    // later one arrives as a node update of its own.
    Set<String> completed = new HashSet<>();
    seen.get(0).status().nodes().stream()
        .filter(n -> n.state().equals("completed"))
        .forEach(n -> completed.add(n.nodeId()));
    int before = completed.size();
    seen.stream()
        .filter(p -> p.node() != null && p.node().state().equals("completed"))
        .forEach(p -> completed.add(p.node().nodeId()));
    assertThat(completed).as("completed before the watch: %d", before).hasSize(end.nodeCount());
    assertThat(seen).filteredOn(p -> p.step() != null).extracting(p -> p.step().seq()).isSorted();
  }
}
