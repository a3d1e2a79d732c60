package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.master.partition.Partitioner;
import io.sluice.master.partition.Placement;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.runtime.trace.Tracing;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traces across a real master and two in-JVM workers: a chain {@code a -> b -> c} placed {@code w1,
 * w2, w1}, {@code b} an HTTP function on a local server. The SDK is installed in code with an
 * in-memory exporter (the processes' {@code OTEL_*} set-up is not used).
 */
@IntegrationTest // the master and two workers over Netty, and an HTTP server
class TracingClusterTest {
  private static final AttributeKey<String> NODE = AttributeKey.stringKey("sluice.node");
  private static final AttributeKey<String> WORKER = AttributeKey.stringKey("sluice.worker");
  private static final Map<String, String> PLACE = Map.of("a", "w1", "b", "w2", "c", "w1");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;
  private HttpServer http;
  private final List<String> traceparents = new CopyOnWriteArrayList<>();
  private SystemScheduler scheduler;
  private Master master;
  private MasterServer server;
  private ManagedChannel channel;
  private WorkflowServiceGrpc.WorkflowServiceBlockingStub client;
  private final List<StandInWorker> workers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    Tracing.install(sdk);
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        ex -> {
          String tp = ex.getRequestHeaders().getFirst("traceparent");
          traceparents.add(tp == null ? "none" : tp);
          byte[] body =
              (ex.getRequestURI().getPath().startsWith("/fail") ? "{\"error\":\"no\"}" : "{}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(ex.getRequestURI().getPath().startsWith("/fail") ? 400 : 200, 0);
          ex.getResponseBody().write(body);
          ex.close();
        });
    http.start();
    scheduler = new SystemScheduler(2);
    master =
        new Master(
            MasterOptions.defaults()
                .withHeartbeat(new HeartbeatConfig(Duration.ofMillis(100), 20))
                .withPartitioner(new Fixed()),
            scheduler);
    server = MasterServer.start(master, "127.0.0.1", 0);
    Map<String, StandInWorker> fleet = StandInWorker.fleet();
    for (String id : List.of("w1", "w2")) {
      workers.add(new StandInWorker(id, server.address(), fleet));
    }
    channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
    client = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    Tracing.uninstall();
    channel.shutdownNow();
    workers.forEach(StandInWorker::close);
    server.close();
    master.close();
    scheduler.close();
    http.stop(0);
    sdk.close();
  }

  @Test
  void oneTraceSpansTheMasterBothWorkersAndTheHttpCall() {
    InstanceStatus s = run(chain("traced", "/ok"));
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);

    await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().size() >= 4);
    List<SpanData> all = spans.getFinishedSpanItems();
    assertThat(all).hasSize(4);
    SpanData root = only(all, "instance traced@1");
    assertThat(root.getParentSpanId()).isEqualTo(SpanId.getInvalid());
    assertThat(root.getAttributes().get(AttributeKey.stringKey("sluice.instance")))
        .isEqualTo(s.getInstanceId());
    Map<String, SpanData> nodes =
        all.stream()
            .filter(d -> d.getName().startsWith("node "))
            .collect(Collectors.toMap(d -> d.getAttributes().get(NODE), d -> d));
    assertThat(nodes).containsOnlyKeys("a", "b", "c");
    nodes.forEach(
        (node, d) -> {
          assertThat(d.getTraceId()).as(node).isEqualTo(root.getTraceId());
          assertThat(d.getParentSpanId()).as(node).isEqualTo(root.getSpanId());
          assertThat(d.getAttributes().get(WORKER)).as(node).isEqualTo(PLACE.get(node));
          assertThat(d.getAttributes().get(AttributeKey.longKey("sluice.attempt"))).isEqualTo(1L);
          assertThat(d.getAttributes().get(AttributeKey.stringKey("sluice.instance")))
              .isEqualTo(s.getInstanceId());
          assertThat(d.getStatus().getStatusCode()).as(node).isEqualTo(StatusCode.UNSET);
        });
    SpanData b = nodes.get("b");
    assertThat(b.getAttributes().get(AttributeKey.stringKey("sluice.runtime"))).isEqualTo("http");
    assertThat(b.getAttributes().get(AttributeKey.stringKey("sluice.function"))).isEqualTo("call");
    assertThat(traceparents)
        .containsExactly(
            "00-"
                + root.getTraceId()
                + "-"
                + b.getSpanId()
                + "-"
                + b.getSpanContext().getTraceFlags().asHex());
    assertThat(b.getSpanContext().getTraceFlags().isSampled()).isTrue();
  }

  @Test
  void inMasterModeTheMasterMakesTheNodeSpansUnderTheInstanceSpan() {
    InstanceStatus s =
        client.invokeAndWait(
            InvokeRequest.newBuilder()
                .setWorkflow(chain("central", "/ok"))
                .setMode(Mode.MODE_MASTER)
                .build());
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);

    await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().size() >= 4);
    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData root = only(all, "instance central@1");
    assertThat(all).hasSize(4);
    assertThat(all)
        .filteredOn(d -> d != root)
        .allSatisfy(
            d -> {
              assertThat(d.getTraceId()).isEqualTo(root.getTraceId());
              assertThat(d.getParentSpanId()).isEqualTo(root.getSpanId());
              assertThat(d.getAttributes().get(WORKER)).isNull();
            });
    // Dispatch carries no context: the worker's HTTP call is made outside any span.
    assertThat(traceparents).containsExactly("none");
  }

  @Test
  void aFailedCallMarksItsNodeAndTheInstanceAsErrors() {
    InstanceStatus s = run(chain("failing", "/fail"));
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_FAILED);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                        .anyMatch(d -> d.getName().equals("instance failing@1"))
                    && spans.getFinishedSpanItems().stream()
                        .anyMatch(d -> "b".equals(d.getAttributes().get(NODE))));
    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData root = only(all, "instance failing@1");
    SpanData b = only(all, "node b");
    assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(b.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(b.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(all).noneMatch(d -> "c".equals(d.getAttributes().get(NODE)));
  }

  @Test
  void offThereAreNoSpansAndNoHeader() {
    Tracing.uninstall();
    InstanceStatus s = run(chain("untraced", "/ok"));
    assertThat(s.getState()).as(s.toString()).isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    assertThat(traceparents).containsExactly("none");
  }

  private static SpanData only(List<SpanData> all, String name) {
    List<SpanData> named = all.stream().filter(d -> d.getName().equals(name)).toList();
    assertThat(named).as(name + " in " + all).hasSize(1);
    return named.get(0);
  }

  /** {@code a -> b -> c}: {@code b} posts to the local server at {@code path}. */
  private WorkflowRef chain(String name, String path) {
    String url = "http://127.0.0.1:" + http.getAddress().getPort() + path;
    return client
        .registerWorkflow(
            RegisterWorkflowRequest.newBuilder()
                .setSource(
                    WorkflowSource.newBuilder()
                        .setFileName(name + ".yaml")
                        .setDefinitionText(
                            """
                            sluice: "1.0"
                            name: %s
                            version: "1"
                            functions:
                              step: {runtime: synthetic, computeMs: 1, outputBytes: 8}
                              call: {runtime: http, url: "%s"}
                            nodes:
                              - {id: a, type: task, function: step, next: b}
                              - {id: b, type: task, function: call, next: c}
                              - {id: c, type: task, function: step}
                            """
                                .formatted(name, url)))
                .build())
        .getWorkflow();
  }

  private InstanceStatus run(WorkflowRef ref) {
    return client.invokeAndWait(
        InvokeRequest.newBuilder().setWorkflow(ref).setMode(Mode.MODE_WORKER).build());
  }

  /** a and c on w1, b on w2 (everything on the first worker while only one is registered). */
  private static final class Fixed implements Partitioner {
    @Override
    public String name() {
      return "hash";
    }

    @Override
    public Placement partition(
        io.sluice.model.WorkflowGraph g,
        List<io.sluice.master.partition.WorkerCapacity> workers,
        io.sluice.master.partition.PartitionOptions opts) {
      List<String> ids =
          workers.stream().map(io.sluice.master.partition.WorkerCapacity::workerId).toList();
      Map<String, String> at = new java.util.HashMap<>();
      for (String node : g.nodes().keySet()) {
        String w = PLACE.getOrDefault(node, "w1");
        at.put(node, ids.contains(w) ? w : ids.get(0));
      }
      return Placement.of(name(), g, at, Map.of());
    }
  }
}
