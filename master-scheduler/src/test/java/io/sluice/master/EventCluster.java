package io.sluice.master;

import io.cloudevents.CloudEvent;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.SendEventRequest;
import io.sluice.proto.SendEventResponse;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real master process ({@link MasterProcess}, from a cluster config with the given extra
 * sections) and in-JVM workers ({@link StandInWorker}) on loopback, with a client: for event
 * routing and event source tests.
 */
final class EventCluster implements AutoCloseable {
  final MasterProcess master;
  final List<StandInWorker> workers = new ArrayList<>();
  private final ManagedChannel channel;
  final WorkflowServiceGrpc.WorkflowServiceBlockingStub client;

  /** {@code n} distinct free ports (all held open while choosing, so none repeats). */
  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> open = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        open.add(new ServerSocket(0));
        ports[i] = open.get(i).getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : open) {
        s.close();
      }
    }
  }

  /** {@code sections}: extra top-level YAML (e.g. {@code sources:}), may be empty. */
  EventCluster(int workerCount, String sections) throws Exception {
    int[] ports = freePorts(2 + 2 * workerCount);
    StringBuilder yaml =
        new StringBuilder("name: events\nmaster: {host: 127.0.0.1, grpcPort: ")
            .append(ports[0])
            .append(", httpPort: ")
            .append(ports[1])
            .append("}\nheartbeat: {interval: 200ms, missedAllowed: 50}\n")
            .append(sections)
            .append("\nworkers:\n");
    for (int i = 1; i <= workerCount; i++) {
      yaml.append("  - {id: w")
          .append(i)
          .append(", host: 127.0.0.1, grpcPort: ")
          .append(ports[2 * i])
          .append(", httpPort: ")
          .append(ports[2 * i + 1])
          .append("}\n");
    }
    master = MasterProcess.start(ClusterConfig.parse("events.yaml", yaml.toString(), Map.of()));
    var fleet = StandInWorker.fleet();
    for (int i = 1; i <= workerCount; i++) {
      workers.add(new StandInWorker("w" + i, master.address(), fleet));
    }
    channel = Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
    client = WorkflowServiceGrpc.newBlockingStub(channel);
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub call() {
    return client.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  WorkflowRef register(String yaml) {
    return call()
        .registerWorkflow(
            RegisterWorkflowRequest.newBuilder()
                .setSource(
                    WorkflowSource.newBuilder().setFileName("wf.yaml").setDefinitionText(yaml))
                .build())
        .getWorkflow();
  }

  String invoke(WorkflowRef ref, String inputJson, Mode mode) {
    return call()
        .invoke(
            InvokeRequest.newBuilder()
                .setWorkflow(ref)
                .setInputJson(inputJson)
                .setMode(mode)
                .build())
        .getInstanceId();
  }

  InstanceStatus status(String id) {
    return call().getInstance(GetInstanceRequest.newBuilder().setInstanceId(id).build());
  }

  /** Waits (at most 30 s) for the instance to end. */
  InstanceStatus awaitEnd(String id) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              InstanceState s = status(id).getState();
              return s != InstanceState.INSTANCE_STATE_RUNNING
                  && s != InstanceState.INSTANCE_STATE_PENDING;
            });
    return status(id);
  }

  /** Waits (at most 30 s) until the master indexes {@code n} event waits. */
  void awaitWaits(int n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> master.master().events().correlator().waitCount() == n);
  }

  SendEventResponse send(CloudEvent event) {
    return call()
        .sendEvent(SendEventRequest.newBuilder().setEvent(WireMapper.cloudEvent(event)).build());
  }

  /** The master's {@code /metrics} text. */
  String metrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Posts one structured CloudEvent to the master's {@code /events}. */
  HttpResponse<String> post(String json) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + "/events"))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    channel.shutdownNow();
    workers.forEach(StandInWorker::close);
    master.close();
  }
}
