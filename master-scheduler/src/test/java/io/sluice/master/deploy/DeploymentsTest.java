package io.sluice.master.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.Binding;
import io.sluice.cluster.config.HeartbeatConfig;
import io.sluice.cluster.grpc.GrpcServer;
import io.sluice.master.membership.Membership;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.partition.PartitionOptions;
import io.sluice.master.partition.Partitioner;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.master.registry.WorkflowRegistry;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.proto.DeploySubgraphRequest;
import io.sluice.proto.DeploySubgraphResponse;
import io.sluice.proto.WorkerServiceGrpc;
import io.sluice.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deployments are cached per workflow and binding, and sent again to a worker that registered
 * since: restarted under its id (a new incarnation) or back from a death, even on the same address.
 */
class DeploymentsTest {
  private static final String FLOW =
      """
      sluice: "1.0"
      name: pair
      version: "1"
      nodes:
        - {id: a, type: task, function: f, next: b}
        - {id: b, type: task, function: f}
      """;

  /** A WorkerService on loopback that only counts the deployments it receives. */
  private static final class CountingWorker extends WorkerServiceGrpc.WorkerServiceImplBase {
    final AtomicInteger deploys = new AtomicInteger();

    @Override
    public void deploySubgraph(
        DeploySubgraphRequest request, StreamObserver<DeploySubgraphResponse> out) {
      deploys.incrementAndGet();
      out.onNext(DeploySubgraphResponse.getDefaultInstance());
      out.onCompleted();
    }
  }

  private final ManualScheduler time = new ManualScheduler();
  private final Membership membership =
      new Membership(time, new HeartbeatConfig(Duration.ofMillis(100), 3));
  private final WorkerClients clients = new WorkerClients();
  private final Deployments deployments =
      new Deployments(membership, Partitioner.criticalPath(), PartitionOptions.DEFAULTS, clients);
  private final List<GrpcServer> servers = new ArrayList<>();

  DeploymentsTest() {
    membership.addListener((w, reason) -> 0);
  }

  @AfterEach
  void stop() {
    clients.close();
    servers.forEach(GrpcServer::close);
  }

  private String serve(CountingWorker w) {
    GrpcServer s = GrpcServer.forAddress("worker", "127.0.0.1", 0).service(w).start();
    servers.add(s);
    return s.address();
  }

  private static WorkerInfo worker(String id, String address, long incarnation) {
    return new WorkerInfo(id, address, 4, 1 << 20, List.of("synthetic"), incarnation);
  }

  private void beat(String id) {
    membership.heartbeat(new WorkerCapacity(id, 4, 1 << 20), 0);
  }

  @Test
  void aWorkerThatRegisteredAgainGetsTheDeploymentAgainAndHeartbeatsChangeNothing() {
    CountingWorker w1 = new CountingWorker();
    CountingWorker w2 = new CountingWorker();
    String a1 = serve(w1);
    String a2 = serve(w2);
    membership.register(worker("w1", a1, 1));
    membership.register(worker("w2", a2, 1));
    RegisteredWorkflow wf =
        new WorkflowRegistry().register("pair.yaml", FLOW, "", "", "", 0).workflow();
    Binding binding = new Binding(Map.of(), true, 0, 0);

    DeploymentView first = deployments.ensure(wf, binding);
    assertThat(Map.of("w1", w1.deploys.get(), "w2", w2.deploys.get()))
        .isEqualTo(Map.of("w1", 1, "w2", 1));
    assertThat(deployments.ensure(wf, binding)).isSameAs(first);
    time.advance(Duration.ofMillis(100));
    beat("w1");
    beat("w2");
    assertThat(deployments.ensure(wf, binding)).isSameAs(first);
    assertThat(w1.deploys.get() + w2.deploys.get()).isEqualTo(2);

    // w2 restarted on the same address with a new incarnation: same live set, same placement,
    // but it holds nothing now
    membership.register(worker("w2", a2, 2));
    DeploymentView again = deployments.ensure(wf, binding);
    assertThat(again.workers()).containsOnlyKeys("w1", "w2");
    assertThat(w2.deploys.get()).isEqualTo(2);
    assertThat(deployments.ensure(wf, binding)).isSameAs(again);

    // w2 falls silent and is declared dead, then comes back with the same incarnation
    for (int i = 0; i < 4; i++) {
      time.advance(Duration.ofMillis(100));
      beat("w1");
    }
    assertThat(membership.alive("w2")).isFalse();
    assertThat(deployments.ensure(wf, binding).workers()).containsOnlyKeys("w1");
    membership.register(worker("w2", a2, 2));
    assertThat(deployments.ensure(wf, binding).workers()).containsOnlyKeys("w1", "w2");
    assertThat(w2.deploys.get()).isEqualTo(3);

    // declared dead and back before any instance asked for the deployment: sent again all the same
    for (int i = 0; i < 4; i++) {
      time.advance(Duration.ofMillis(100));
      beat("w1");
    }
    assertThat(membership.alive("w2")).isFalse();
    membership.register(worker("w2", a2, 2));
    deployments.ensure(wf, binding);
    assertThat(w2.deploys.get()).isEqualTo(4);
  }

  @Test
  void drainingAWorkerPlacesAndDeploysOverTheOthersAndEveryoneDrainingRefusesNewInstances() {
    CountingWorker w1 = new CountingWorker();
    CountingWorker w2 = new CountingWorker();
    String a1 = serve(w1);
    String a2 = serve(w2);
    membership.register(worker("w1", a1, 1));
    membership.register(worker("w2", a2, 1));
    RegisteredWorkflow wf =
        new WorkflowRegistry().register("pair.yaml", FLOW, "", "", "", 0).workflow();
    Binding binding = new Binding(Map.of(), true, 0, 0);
    DeploymentView before = deployments.ensure(wf, binding);
    assertThat(before.workers()).containsOnlyKeys("w1", "w2");

    membership.drain("w1", true);
    DeploymentView drained = deployments.ensure(wf, binding);
    assertThat(drained).isNotSameAs(before);
    assertThat(drained.workers()).containsOnlyKeys("w2");
    assertThat(drained.holders()).containsExactly("w2");
    assertThat(drained.placement().nodesPerWorker()).containsOnlyKeys("w2");
    // the draining worker keeps what it holds and is sent nothing new
    assertThat(w1.deploys.get()).isEqualTo(1);
    assertThat(w2.deploys.get()).isEqualTo(2);
    assertThat(deployments.ensure(wf, binding)).isSameAs(drained);

    membership.drain("w2", true);
    assertThatThrownBy(() -> deployments.ensure(wf, binding))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("every live worker is draining (w1, w2)");

    // w1 restarted after its upgrade: a new incarnation takes parts again and gets the deployment
    membership.register(worker("w1", a1, 2));
    DeploymentView upgraded = deployments.ensure(wf, binding);
    assertThat(upgraded.workers()).containsOnlyKeys("w1");
    assertThat(upgraded.holders()).containsExactly("w1");
    assertThat(w1.deploys.get()).isEqualTo(2);
  }
}
