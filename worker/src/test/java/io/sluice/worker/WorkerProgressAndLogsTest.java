package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.config.LogsConfig;
import io.sluice.cluster.config.ProgressConfig;
import io.sluice.engine.NodeSteps;
import io.sluice.proto.GetLogsRequest;
import io.sluice.proto.GetLogsResponse;
import io.sluice.proto.LogEntry;
import io.sluice.proto.NodeProgress;
import io.sluice.testing.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two workers with progress reports and call logs on: a partitioned instance whose process function
 * writes to stderr and fails once, a java function that logs through its context, and a map.
 */
@IntegrationTest // workers over gRPC on loopback, OS processes
class WorkerProgressAndLogsTest {
  private static final String FLOW =
      """
      sluice: "1.0"
      name: observed
      version: "1"
      functions:
        noisy:
          runtime: process
          command: |
            echo "attempt $SLUICE_ATTEMPT of $SLUICE_NODE_ID" >&2
            if [ "$SLUICE_ATTEMPT" = 1 ]; then echo "first try fails" >&2; exit 3; fi
            cat
        chatty: {runtime: java}
      nodes:
        - id: a
          type: task
          function: noisy
          retry: {maxAttempts: 2, backoff: PT0S}
          next: b
        - {id: b, type: task, function: chatty, next: each}
        - id: each
          type: map
          items: '[1, 2]'
          iterator:
            nodes:
              - {id: leaf, type: task, function: noisy, retry: {maxAttempts: 2, backoff: PT0S}}
      """;

  private final List<ProgressReporter> reporters = new ArrayList<>();
  private TestCluster cluster;

  @AfterEach
  void close() throws Exception {
    reporters.forEach(ProgressReporter::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theMasterHearsEveryNodeStepAndGetLogsServesEachCallsStderrAndLogLines() throws Exception {
    MasterStandIn[] master = new MasterStandIn[1];
    cluster =
        new TestCluster(
            PeerLinkOptions.DEFAULT,
            (c, id, o) -> {
              NodeSteps r =
                  ProgressReporter.start(
                      id,
                      c.master.channel(),
                      c.scheduler,
                      new ProgressConfig(true, Duration.ofMillis(20), 1000));
              reporters.add((ProgressReporter) r);
              return o.withNodeSteps(r).withCallLogs(new InvocationLogs(id, LogsConfig.DEFAULT));
            },
            "w1",
            "w2");
    master[0] = cluster.master;
    WorkflowKey key =
        cluster.deploy("observed.yaml", FLOW, Map.of("a", "w1", "b", "w2", "each", "w2"));
    var out = cluster.start("i1", key, IntNode.valueOf(7)).get(60, TimeUnit.SECONDS);
    assertThat(out.state()).as(String.valueOf(out.error())).isEqualTo(InstanceState.COMPLETED);

    Awaitility.await()
        .untilAsserted(() -> assertThat(steps(master[0])).contains("each completed #1 item 0/0"));
    List<String> steps = steps(master[0]);
    assertThat(steps)
        .containsSubsequence(
            "a started #1 item 0/0",
            "a retrying #1 item 0/0",
            "a started #2 item 0/0",
            "a completed #2 item 0/0")
        .containsSubsequence("b started #1 item 0/0", "b completed #1 item 0/0")
        .containsSubsequence(
            "each started #1 item 0/2",
            "each retrying #1 item 1/2",
            "each completed #1 item 1/2",
            "each completed #1 item 0/0")
        .contains("each started #1 item 2/2", "each completed #1 item 2/2");
    assertThat(master[0].progress)
        .filteredOn(r -> r.getStepsList().stream().anyMatch(s -> s.getNodeId().equals("a")))
        .allMatch(r -> r.getWorkerId().equals("w1"));
    assertThat(master[0].progress).allMatch(r -> r.getDropped() == 0);

    GetLogsResponse w1 =
        cluster.stub("w1").getLogs(GetLogsRequest.newBuilder().setInstanceId("i1").build());
    assertThat(w1.getEntriesList())
        .extracting(
            e -> e.getNodeId() + " #" + e.getAttempt() + " " + e.getStream() + ": " + e.getText())
        .containsExactly(
            "a #1 stderr: attempt 1 of a\nfirst try fails\n", "a #2 stderr: attempt 2 of a\n");
    assertThat(w1.getEntries(0).getRuntime()).isEqualTo("process");
    assertThat(w1.getEntries(0).getWorkerId()).isEqualTo("w1");
    assertThat(w1.getEntries(0).getTime().getSeconds()).isPositive();

    GetLogsResponse w2 =
        cluster.stub("w2").getLogs(GetLogsRequest.newBuilder().setInstanceId("i1").build());
    assertThat(w2.getEntriesList())
        .filteredOn(e -> e.getNodeId().equals("b"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getRuntime()).isEqualTo("java");
              assertThat(e.getStream()).isEqualTo("log");
              assertThat(e.getText()).isEqualTo("java says 7\n");
            });
    List<LogEntry> items =
        cluster
            .stub("w2")
            .getLogs(
                GetLogsRequest.newBuilder()
                    .setInstanceId("i1")
                    .setNodeId("each")
                    .setMaxBytes(8)
                    .build())
            .getEntriesList();
    assertThat(items).hasSize(4); // two items, two attempts each
    assertThat(items).extracting(LogEntry::getItem).containsExactlyInAnyOrder(1, 1, 2, 2);
    assertThat(items).allMatch(e -> e.getNodeId().equals("each") && e.getText().length() <= 8);
    assertThat(items).filteredOn(e -> e.getAttempt() == 1).allMatch(LogEntry::getTruncated);
    assertThat(
            cluster
                .stub("w1")
                .getLogs(GetLogsRequest.newBuilder().setInstanceId("nope").build())
                .getEntriesCount())
        .isZero();
  }

  private static List<String> steps(MasterStandIn master) {
    return master.progress.stream()
        .flatMap(r -> r.getStepsList().stream())
        .map(WorkerProgressAndLogsTest::line)
        .toList();
  }

  private static String line(NodeProgress s) {
    return s.getNodeId()
        + " "
        + s.getState()
        + " #"
        + s.getAttempt()
        + " item "
        + s.getItem()
        + "/"
        + s.getItemsTotal();
  }
}
