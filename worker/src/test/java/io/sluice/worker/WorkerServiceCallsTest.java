package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.proto.CancelInstanceRequest;
import io.sluice.proto.DeliverEventRequest;
import io.sluice.proto.DeploySubgraphRequest;
import io.sluice.proto.DispatchRequest;
import io.sluice.proto.DispatchResponse;
import io.sluice.proto.EventAck;
import io.sluice.proto.EventBatch;
import io.sluice.proto.FetchDataRequest;
import io.sluice.proto.NodeAssignment;
import io.sluice.proto.NodePlacement;
import io.sluice.proto.Payload;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.proto.StartInstanceRequest;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowSource;
import io.sluice.testing.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** WorkerService and PeerService calls over real gRPC: good ones work, bad ones are refused. */
@IntegrationTest // workers over gRPC on loopback
class WorkerServiceCallsTest {
  private static final ObjectMapper M = new ObjectMapper();
  private TestCluster cluster;
  private WorkflowKey chain;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster("w1", "w2");
    chain = cluster.deploy("chain.yaml", Workflows.CHAIN, Map.of("a", "w1", "b", "w2", "c", "w1"));
  }

  @AfterEach
  void close() throws Exception {
    cluster.close();
  }

  private static void assertInvalid(Executable call, String message) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }

  private DeploySubgraphRequest.Builder deploy() {
    return DeploySubgraphRequest.newBuilder()
        .setWorkflow(WorkflowRef.newBuilder().setName("chain").setVersion("1"))
        .setSource(
            WorkflowSource.newBuilder()
                .setFileName("chain.yaml")
                .setDefinitionText(Workflows.CHAIN))
        .setPlacement(
            NodePlacement.newBuilder()
                .addAllAssignments(
                    WireMapper.assignments(Map.of("a", "w1", "b", "w1", "c", "w1"))));
  }

  @Test
  void malformedWorkerServiceCallsAreInvalidArgumentsAndTheServerKeepsServing() {
    var w1 = cluster.stub("w1");
    assertInvalid(() -> w1.deploySubgraph(deploy().clearWorkflow().build()), "workflow.name");
    assertInvalid(
        () ->
            w1.deploySubgraph(
                deploy().setSource(WorkflowSource.newBuilder().setFileName("x.yaml")).build()),
        "source.definition_text is empty");
    assertInvalid(
        () ->
            w1.deploySubgraph(
                deploy()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("bad.yaml")
                            .setDefinitionText("sluice: \"1.0\"\nname: bad\nnodes: 7\n"))
                    .build()),
        "bad.yaml");
    assertInvalid(
        () -> w1.deploySubgraph(deploy().clearPlacement().build()),
        "placement.assignments is empty");
    assertInvalid(
        () ->
            w1.deploySubgraph(
                deploy()
                    .setPlacement(
                        NodePlacement.newBuilder()
                            .addAssignments(
                                NodeAssignment.newBuilder().setNodeId("a").setWorkerId("w1")))
                    .build()),
        "node 'b'");
    assertInvalid(
        () -> w1.deploySubgraph(deploy().setFunctionRegistryText("oops: 1\n").build()),
        "function registry");
    assertInvalid(
        () -> w1.startInstance(StartInstanceRequest.newBuilder().build()),
        "instance_id is missing");
    assertInvalid(
        () ->
            w1.startInstance(
                StartInstanceRequest.newBuilder()
                    .setInstanceId("i")
                    .setWorkflow(WireMapper.workflowRef(chain))
                    .setInput(Payload.newBuilder().setJson("{oops"))
                    .build()),
        "input.json is not valid JSON");
    assertInvalid(
        () -> w1.cancelInstance(CancelInstanceRequest.newBuilder().build()), "instance_id");
    assertInvalid(
        () ->
            w1.dispatch(
                DispatchRequest.newBuilder()
                    .setInstanceId("i")
                    .setWorkflow(WireMapper.workflowRef(chain))
                    .build()),
        "node_id is missing");
    assertInvalid(
        () -> w1.deliverEvent(DeliverEventRequest.newBuilder().setInstanceId("i").build()),
        "event is missing");
    assertInvalid(
        () ->
            w1.deliverEvent(
                DeliverEventRequest.newBuilder()
                    .setInstanceId("i")
                    .setEvent(io.cloudevents.v1.proto.CloudEvent.newBuilder().setType("t"))
                    .build()),
        "event.id is missing");
    assertThatThrownBy(
            () ->
                w1.startInstance(
                    StartInstanceRequest.newBuilder()
                        .setInstanceId("i")
                        .setWorkflow(WorkflowRef.newBuilder().setName("nope").setVersion("1"))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThat(w1.deploySubgraph(deploy().build()).getLocalNodesList())
        .containsExactly("a", "b", "c");
  }

  @Test
  void dispatchRunsOneFunctionAndAnswersWithItsResultOrError() {
    DispatchResponse ok =
        cluster
            .stub("w2")
            .dispatch(
                DispatchRequest.newBuilder()
                    .setInstanceId("m1")
                    .setWorkflow(WireMapper.workflowRef(chain))
                    .setNodeId("b")
                    .setInput(WireMapper.payload(IntNode.valueOf(41)))
                    .setAttempt(1)
                    .setTimeout(WireMapper.duration(java.time.Duration.ofSeconds(5)))
                    .build());
    assertThat(WireMapper.json(ok.getResult(), "result").asInt()).isEqualTo(42);
    assertThat(ok.getWorkerId()).isEqualTo("w2");
    DispatchResponse notATask =
        cluster
            .stub("w2")
            .dispatch(
                DispatchRequest.newBuilder()
                    .setInstanceId("m1")
                    .setWorkflow(WireMapper.workflowRef(chain))
                    .setNodeId("zz")
                    .setInput(WireMapper.payload(IntNode.valueOf(1)))
                    .build());
    assertThat(notATask.hasError()).isTrue();
    assertThat(notATask.getError().getType()).isEqualTo("UnknownFunction");
  }

  @Test
  void dispatchHandsTheMastersIdempotencyKeysToTheFunction() {
    WorkflowKey keys =
        cluster.deploy(
            "keys.yaml",
            """
            sluice: "1.0"
            name: keys
            functions:
              keys: {runtime: java}
            nodes:
              - {id: k, type: task, function: keys}
            """,
            Map.of("k", "w2"));
    DispatchRequest.Builder req =
        DispatchRequest.newBuilder()
            .setInstanceId("m1.loop.3")
            .setWorkflow(WireMapper.workflowRef(keys))
            .setNodeId("k")
            .setInput(WireMapper.payload(IntNode.valueOf(1)))
            .setAttempt(2);
    DispatchResponse sent =
        cluster
            .stub("w2")
            .dispatch(
                req.clone()
                    .setIdempotencyKey("m1/loop@1[3]/k@2")
                    .setStepKey("m1/loop[3]/k")
                    .build());
    assertThat(WireMapper.json(sent.getResult(), "result").get("idempotencyKey").asText())
        .isEqualTo("m1/loop@1[3]/k@2");
    assertThat(WireMapper.json(sent.getResult(), "result").get("stepKey").asText())
        .isEqualTo("m1/loop[3]/k");
    // An older master sends none: the keys of a top-level node of the instance id.
    DispatchResponse none = cluster.stub("w2").dispatch(req.build());
    assertThat(WireMapper.json(none.getResult(), "result").get("idempotencyKey").asText())
        .isEqualTo("m1.loop.3/k@2");
    assertInvalid(
        () -> cluster.stub("w2").dispatch(req.clone().setStepKey("m1/loop[3]/k").build()),
        "idempotency_key and step_key come together");
    assertInvalid(
        () ->
            cluster
                .stub("w2")
                .dispatch(
                    req.clone()
                        .setIdempotencyKey("x".repeat(200))
                        .setStepKey("m1/loop[3]/k")
                        .build()),
        "at most 128 characters");
  }

  @Test
  void deliverEventReachesAnEventWait() throws Exception {
    WorkflowKey key =
        cluster.deploy("waiter.yaml", Workflows.WAITER, Map.of("approval", "w2", "done", "w1"));
    var outcome = cluster.start("order-7", key, M.readTree("{\"orderId\": 7}"));
    var event =
        io.cloudevents.v1.proto.CloudEvent.newBuilder()
            .setId("ev-1")
            .setSource("/shop")
            .setSpecVersion("1.0")
            .setType("com.example.approved")
            .setTextData("{\"orderId\": 7}")
            .build();
    Awaitility.await()
        .until(
            () ->
                cluster
                    .stub("w2")
                    .deliverEvent(
                        DeliverEventRequest.newBuilder()
                            .setInstanceId("order-7")
                            .setEvent(event)
                            .build())
                    .getDelivered());
    var out = outcome.get(30, TimeUnit.SECONDS);
    assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().get("approved").asInt()).isEqualTo(7);
  }

  @Test
  void malformedPeerCallsAreRefusedAndMalformedEventsAckedAndCounted() throws Exception {
    var peer = PeerServiceGrpc.newStub(cluster.channel("w2"));
    List<EventAck> acks = new CopyOnWriteArrayList<>();
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    StreamObserver<EventBatch> stream =
        peer.eventStream(
            new StreamObserver<>() {
              @Override
              public void onNext(EventAck a) {
                acks.add(a);
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(t);
              }

              @Override
              public void onCompleted() {
                ended.complete(null);
              }
            });
    var bad = io.cloudevents.v1.proto.CloudEvent.newBuilder().setId("junk-1").setType("x").build();
    var good =
        WireMapper.cloudEvent(
            new io.sluice.cluster.api.EdgeEvent(
                "p1/a/1/edge/0", "p1", chain, 0, "a", "b", IntNode.valueOf(5)),
            "w1");
    stream.onNext(
        EventBatch.newBuilder().setSenderWorkerId("w1").setSequence(1).addEvents(bad).build());
    stream.onNext(
        EventBatch.newBuilder().setSenderWorkerId("w1").setSequence(2).addEvents(good).build());
    Awaitility.await().until(() -> acks.size() == 2);
    assertThat(acks.get(0).getEventIdsList()).containsExactly("junk-1");
    assertThat(acks.get(1).getEventIdsList()).containsExactly("p1/a/1/edge/0");
    WorkerServer w2 = cluster.workers.get("w2").server();
    assertThat(w2.eventsRejected()).isEqualTo(1);
    assertThat(w2.eventsReceived()).isEqualTo(1);
    assertThat(ended).isNotDone(); // the stream stays open
    stream.onNext(EventBatch.newBuilder().setSequence(3).addEvents(good).build());
    Throwable t = ended.get(10, TimeUnit.SECONDS);
    assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Status.fromThrowable(t).getDescription()).contains("sender_worker_id");
    assertInvalid(
        () ->
            PeerServiceGrpc.newBlockingStub(cluster.channel("w2"))
                .fetchData(FetchDataRequest.getDefaultInstance())
                .hasNext(),
        "FetchData needs a key");
    // still serving: the held edge event completes the instance once its part starts
    var out = cluster.start("p1", chain, IntNode.valueOf(4)).get(30, TimeUnit.SECONDS);
    assertThat(out.state()).isEqualTo(InstanceState.COMPLETED);
    assertThat(out.output().asInt()).isEqualTo(7);
  }
}
