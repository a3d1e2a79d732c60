package io.sluice.cli;

import static io.sluice.cli.CliTest.ROOT;
import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.client.LocalCluster;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.NodeProgress;
import io.sluice.proto.ReportProgressRequest;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list, watch, history, logs and status's state line against a master and workers in this JVM. */
@IntegrationTest // master and two workers in this JVM over gRPC
class InstanceViewsCliTest {
  static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new LocalCluster(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static String hello() throws Exception {
    var r =
        sluice(
            "submit",
            "--master",
            cluster.address(),
            ROOT.resolve("examples/hello.yaml").toString(),
            "--wait",
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    return r.json().get("instanceId").asText();
  }

  @Test
  void aFinishedInstanceIsListedWithItsHistoryStatusAndOutcome() throws Exception {
    String id = hello();
    var list = sluice("list", "instances", "--master", cluster.address(), "--workflow", "hello");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out().lines()).anyMatch(l -> l.startsWith(id + "  hello@1  completed  3/3"));
    var failed = sluice("list", "instances", "--master", cluster.address(), "--state", "failed");
    assertThat(failed.out().lines()).noneMatch(l -> l.startsWith(id + " "));
    var json = sluice("list", "instances", "--master", cluster.address(), "--limit", "1", "--json");
    assertThat(json.json().get("instances")).hasSize(1);
    var bad = sluice("list", "instances", "--master", cluster.address(), "--state", "asleep");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--state");
    var wfs = sluice("list", "workflows", "--master", cluster.address());
    assertThat(wfs.out()).contains("hello@1  3 nodes");

    var status = sluice("status", "--master", cluster.address(), id);
    assertThat(status.out().lines().findFirst().orElse(""))
        .matches(id + "  hello@1  completed  3/3 nodes  .*");

    var history = sluice("history", "--master", cluster.address(), id);
    assertThat(history.exit()).as(history.err()).isZero();
    assertThat(history.out().lines().findFirst().orElse("")).contains("instance.started");
    assertThat(history.out()).contains("instance.succeeded");
    var hjson = sluice("history", "--master", cluster.address(), id, "--json");
    assertThat(hjson.json().get("ended").asBoolean()).isTrue();

    var watch = sluice("watch", "--master", cluster.address(), id);
    assertThat(watch.exit()).as(watch.err()).isZero();
    assertThat(watch.out().lines().reduce((a, b) -> b).orElse(""))
        .startsWith(id + "  hello@1  completed");
    assertThat(watch.out()).contains("greet").contains("shout");

    var logs = sluice("logs", "--master", cluster.address(), id, "--node", "greet");
    assertThat(logs.exit()).as(logs.err()).isZero();
    var unknown = sluice("history", "--master", cluster.address(), "no-such-id");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no-such-id");
  }

  @Test
  void watchPrintsEachNodeChangeAndEndsWithTheOutcome(@TempDir Path tmp) throws Exception {
    Path wf = tmp.resolve("waits.yaml");
    Files.writeString(
        wf,
        """
        sluice: "1.0"
        name: waits
        version: "1"
        nodes:
          - {id: approve, type: event, eventType: approved, next: done}
          - {id: done, type: task, function: f}
        """);
    var a =
        sluice(
            "submit",
            "--master",
            cluster.address(),
            wf.toString(),
            "--synthetic",
            "--time-scale",
            "0");
    assertThat(a.exit()).as(a.err()).isZero();
    String id = a.out().trim();
    CompletableFuture<CliTest.Result> watch =
        CompletableFuture.supplyAsync(() -> sluice("watch", "--master", cluster.address(), id));
    ManagedChannel ch =
        Grpc.newChannelBuilder(cluster.address(), InsecureChannelCredentials.create()).build();
    try {
      // as a worker's reporter would; the watch shows it as a change or in its first table
      var stub = ClusterServiceGrpc.newBlockingStub(ch);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                stub.reportProgress(
                    ReportProgressRequest.newBuilder()
                        .setWorkerId("w9")
                        .addSteps(
                            NodeProgress.newBuilder()
                                .setInstanceId(id)
                                .setNodeId("approve")
                                .setState("waiting")
                                .setAttempt(1)
                                .setTimeMillis(System.currentTimeMillis()))
                        .build());
                var h = sluice("history", "--master", cluster.address(), id);
                return h.out().contains("node.waiting");
              });
    } finally {
      ch.shutdownNow();
    }
    assertThat(sluice("cancel", "--master", cluster.address(), id).exit()).isZero();
    CliTest.Result r = watch.get();
    assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(1);
    assertThat(r.out()).containsPattern("approve +waiting +w9");
    assertThat(r.out().lines().reduce((x, y) -> y).orElse(""))
        .startsWith(id + "  waits@1  cancelled");
  }
}
