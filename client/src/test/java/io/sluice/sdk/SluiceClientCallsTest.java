package io.sluice.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.GetHistoryRequest;
import io.sluice.proto.GetHistoryResponse;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.HistoryEvent;
import io.sluice.proto.InstanceUpdate;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.InvokeResponse;
import io.sluice.proto.ListInstancesRequest;
import io.sluice.proto.ListInstancesResponse;
import io.sluice.proto.NodeRun;
import io.sluice.proto.Payload;
import io.sluice.proto.WorkflowServiceGrpc.WorkflowServiceImplBase;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The client's own behaviour against a scripted master: retries of idempotent calls while the
 * master is UNAVAILABLE (and none for a deadline), the exception each status becomes, a start's
 * instance id kept across its retries, paging, and a watch that survives a broken stream.
 */
class SluiceClientCallsTest {
  private static io.sluice.proto.InstanceStatus status(String id, io.sluice.proto.InstanceState s) {
    return io.sluice.proto.InstanceStatus.newBuilder()
        .setInstanceId(id)
        .setState(s)
        .setOutput(Payload.newBuilder().setJson("{\"ok\":true}"))
        .build();
  }

  @Test
  void anIdempotentCallIsRetriedWhileUnavailableAndTheStartKeepsItsInstanceId() throws Exception {
    List<String> ids = new CopyOnWriteArrayList<>();
    List<InvokeRequest> requests = new CopyOnWriteArrayList<>();
    var service =
        new WorkflowServiceImplBase() {
          @Override
          public void invoke(InvokeRequest r, StreamObserver<InvokeResponse> out) {
            requests.add(r);
            ids.add(r.getInstanceId());
            if (ids.size() < 3) {
              out.onError(Status.UNAVAILABLE.withDescription("restarting").asRuntimeException());
              return;
            }
            out.onNext(InvokeResponse.newBuilder().setInstanceId(r.getInstanceId()).build());
            out.onCompleted();
          }
        };
    try (var master = new FakeMaster(service);
        var client = master.client()) {
      String id = client.start(WorkflowId.of("hello", "1"), java.util.Map.of("a", 1));
      assertThat(ids).hasSize(3).containsOnly(id);
      assertThat(id).isNotBlank();
      ids.clear();
      client.start(WorkflowId.of("hello", "1"), null, StartOptions.defaults().instanceId("mine"));
      assertThat(ids).containsOnly("mine");
      assertThat(requests.get(requests.size() - 1).hasOptions()).isFalse(); // the master's defaults
      client.start("hello@1", null);
      client.start(
          WorkflowId.of("hello", "1"),
          null,
          StartOptions.defaults().mode(Mode.MASTER).synthetic(0, 0.5));
      InvokeRequest last = requests.get(requests.size() - 1);
      assertThat(last.getMode()).isEqualTo(io.sluice.proto.Mode.MODE_MASTER);
      assertThat(last.getOptions().getSynthetic()).isTrue();
      assertThat(last.getOptions().getTimeScale()).isZero();
      assertThat(last.getOptions().getDataScale()).isEqualTo(0.5);
    }
  }

  @Test
  void retriesEndWithAnUnavailableExceptionNamingTheMasterAndTheAttempts() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    var service =
        new WorkflowServiceImplBase() {
          @Override
          public void getInstance(
              GetInstanceRequest r, StreamObserver<io.sluice.proto.InstanceStatus> out) {
            calls.incrementAndGet();
            out.onError(Status.UNAVAILABLE.withDescription("going away").asRuntimeException());
          }
        };
    try (var master = new FakeMaster(service);
        var client = master.client()) {
      assertThatThrownBy(() -> client.status("i-1"))
          .isInstanceOf(UnavailableException.class)
          .hasMessage(
              "GetInstance on the master at "
                  + master.address()
                  + " failed: UNAVAILABLE after 3 attempts: going away; is a Sluice master"
                  + " running there?");
      assertThat(calls).hasValue(3);
    }
  }

  @Test
  void eachStatusBecomesItsExceptionAndOnlyUnavailableIsRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    var next = new java.util.concurrent.atomic.AtomicReference<Status>();
    var service =
        new WorkflowServiceImplBase() {
          @Override
          public void getInstance(
              GetInstanceRequest r, StreamObserver<io.sluice.proto.InstanceStatus> out) {
            calls.incrementAndGet();
            out.onError(next.get().withDescription("why").asRuntimeException());
          }

          @Override
          public void invoke(InvokeRequest r, StreamObserver<InvokeResponse> out) {
            calls.incrementAndGet();
            out.onError(next.get().withDescription("why").asRuntimeException());
          }
        };
    try (var master = new FakeMaster(service);
        var client = master.client()) {
      Object[][] cases = {
        {Status.NOT_FOUND, InstanceNotFoundException.class},
        {Status.INVALID_ARGUMENT, InvalidRequestException.class},
        {Status.FAILED_PRECONDITION, RefusedException.class},
        {Status.UNIMPLEMENTED, UnsupportedByServerException.class},
        {Status.INTERNAL, SluiceException.class},
      };
      for (Object[] c : cases) {
        next.set((Status) c[0]);
        calls.set(0);
        assertThatThrownBy(() -> client.status("i-1"))
            .as(c[0].toString())
            .isExactlyInstanceOf((Class<?>) c[1])
            .hasMessageContaining("GetInstance on the master at " + master.address())
            .hasMessageContaining(((Status) c[0]).getCode() + ": why")
            .satisfies(
                e ->
                    assertThat(((SluiceException) e).code())
                        .isEqualTo(((Status) c[0]).getCode().name()));
        assertThat(calls).as(c[0].toString()).hasValue(1);
      }
      next.set(Status.NOT_FOUND);
      assertThatThrownBy(() -> client.start("hello@1", null))
          .isExactlyInstanceOf(WorkflowNotFoundException.class);
    }
  }

  @Test
  void aRetryReachesAMasterThatCameBackAtOnce() throws Exception {
    var service =
        new WorkflowServiceImplBase() {
          @Override
          public void getInstance(
              GetInstanceRequest r, StreamObserver<io.sluice.proto.InstanceStatus> out) {
            out.onNext(
                status(r.getInstanceId(), io.sluice.proto.InstanceState.INSTANCE_STATE_RUNNING));
            out.onCompleted();
          }
        };
    FakeMaster first = new FakeMaster(service);
    int port = first.port();
    // Retries 50 ms and 100 ms after a failure: far sooner than gRPC's own reconnect backoff
    // (1 s and growing), so only a reset of that backoff lets them reach the new master.
    try (var client =
        SluiceClient.builder()
            .target(first.address())
            .maxAttempts(3)
            .retryBackoff(Duration.ofMillis(50))
            .build()) {
      assertThat(client.status("i-1").state()).isEqualTo(InstanceState.RUNNING);
      first.close();
      assertThatThrownBy(() -> client.status("i-1")).isInstanceOf(UnavailableException.class);
      try (var again = new FakeMaster(service, port)) {
        assertThat(client.status("i-1").state()).isEqualTo(InstanceState.RUNNING);
      }
    }
  }

  @Test
  void aDeadlineIsNotRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    var service =
        new WorkflowServiceImplBase() {
          @Override
          public void getInstance(
              GetInstanceRequest r, StreamObserver<io.sluice.proto.InstanceStatus> out) {
            calls.incrementAndGet(); // never answers
          }
        };
    try (var master = new FakeMaster(service);
        var client =
            SluiceClient.builder()
                .target(master.address())
                .deadline(Duration.ofMillis(300))
                .maxAttempts(3)
                .build()) {
      assertThatThrownBy(() -> client.status("i-1"))
          .isInstanceOfSatisfying(
              UnavailableException.class, e -> assertThat(e.code()).isEqualTo("DEADLINE_EXCEEDED"));
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void nothingListeningIsUnavailableAndABadTargetIsRefusedAtBuild() throws Exception {
    int port;
    try (var s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (var client =
        SluiceClient.builder()
            .target("127.0.0.1:" + port)
            .maxAttempts(2)
            .retryBackoff(Duration.ZERO)
            .build()) {
      assertThatThrownBy(client::listWorkflows)
          .isInstanceOf(UnavailableException.class)
          .hasMessageStartingWith(
              "ListWorkflows on the master at 127.0.0.1:" + port + " failed: UNAVAILABLE after 2");
    }
    assertThatThrownBy(() -> SluiceClient.builder().target("127.0.0.1:99999").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got '127.0.0.1:99999'");
    assertThatThrownBy(() -> SluiceClient.builder().target("nohost").build())
        .hasMessageContaining("HOST:PORT");
  }

  @Test
  void aWatchResubscribesAfterABrokenStreamAndAwaitGivesTheFinalStatus() throws Exception {
    AtomicInteger streams = new AtomicInteger();
    var running = io.sluice.proto.InstanceState.INSTANCE_STATE_RUNNING;
    var done = io.sluice.proto.InstanceState.INSTANCE_STATE_SUCCEEDED;
    var service =
        new WorkflowServiceImplBase() {
          @Override
          public void watchInstance(GetInstanceRequest r, StreamObserver<InstanceUpdate> out) {
            out.onNext(
                InstanceUpdate.newBuilder().setStatus(status(r.getInstanceId(), running)).build());
            if (streams.incrementAndGet() == 1) {
              out.onError(Status.UNAVAILABLE.withDescription("cut").asRuntimeException());
              return;
            }
            out.onNext(
                InstanceUpdate.newBuilder()
                    .setNode(NodeRun.newBuilder().setNodeId("a").setState("completed"))
                    .setStep(HistoryEvent.newBuilder().setSeq(2).setType("node.completed"))
                    .build());
            out.onNext(
                InstanceUpdate.newBuilder().setStatus(status(r.getInstanceId(), done)).build());
            out.onCompleted();
          }
        };
    try (var master = new FakeMaster(service);
        var client = master.client()) {
      List<Progress> seen = new CopyOnWriteArrayList<>();
      var watch = client.watch("i-1", seen::add);
      InstanceStatus end = watch.result().get(10, TimeUnit.SECONDS);
      assertThat(end.state()).isEqualTo(InstanceState.SUCCEEDED);
      assertThat(end.output().get("ok").asBoolean()).isTrue();
      assertThat(streams).hasValue(2);
      assertThat(seen).hasSize(4);
      assertThat(seen.get(2).node().nodeId()).isEqualTo("a");
      assertThat(seen.get(2).step().type()).isEqualTo("node.completed");
      assertThat(seen.get(3).last()).isTrue();
      assertThat(client.await("i-2").get(10, TimeUnit.SECONDS).instanceId()).isEqualTo("i-2");
    }
  }

  @Test
  void historyAndInstancesAreReadPageByPage() throws Exception {
    var service =
        new WorkflowServiceImplBase() {
          @Override
          public void getHistory(GetHistoryRequest r, StreamObserver<GetHistoryResponse> out) {
            long from = r.getAfterSeq();
            var b = GetHistoryResponse.newBuilder();
            for (long s = from + 1; s <= Math.min(from + 2, 5); s++) {
              b.addEvents(HistoryEvent.newBuilder().setSeq(s).setType("t" + s));
            }
            out.onNext(b.setLastSeq(Math.min(from + 2, 5)).setMore(from + 2 < 5).build());
            out.onCompleted();
          }

          @Override
          public void listInstances(
              ListInstancesRequest r, StreamObserver<ListInstancesResponse> out) {
            int page = r.getPageToken().isEmpty() ? 0 : Integer.parseInt(r.getPageToken());
            var b = ListInstancesResponse.newBuilder();
            b.addInstances(io.sluice.proto.InstanceSummary.newBuilder().setInstanceId("i" + page));
            if (page < 2) {
              b.setNextPageToken(Integer.toString(page + 1));
            }
            out.onNext(b.build());
            out.onCompleted();
          }
        };
    try (var master = new FakeMaster(service);
        var client = master.client()) {
      assertThat(client.history("i").map(HistoryStep::seq).toList())
          .containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(
              client.listInstances(InstanceFilter.all()).map(InstanceSummary::instanceId).toList())
          .containsExactly("i0", "i1", "i2");
      assertThat(client.listInstancesPage(InstanceFilter.all(), null).nextPageToken())
          .isEqualTo("1");
    }
  }
}
