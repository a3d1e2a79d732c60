package io.sluice.master.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.master.partition.HintRefiner;
import io.sluice.master.partition.Placement;
import io.sluice.master.partition.WorkerCapacity;
import io.sluice.model.Hints;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.NodeObservation;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.proto.WorkflowRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementWireTest {

  @Test
  void placementSurvivesTheWire() throws Exception {
    Placement p =
        new Placement(
            "critical-path",
            Map.of("a", "w1"),
            Map.of("a", List.of("w1", "w2")),
            3,
            1234,
            Map.of("w1", 1));
    WorkflowRef ref = WorkflowRef.newBuilder().setName("genome").setVersion("2").build();

    var wire = io.sluice.proto.NodePlacement.parseFrom(PlacementWire.toProto(p, ref).toByteArray());

    assertThat(wire.getWorkflow()).isEqualTo(ref);
    assertThat(PlacementWire.fromProto(wire)).isEqualTo(p);
  }

  @Test
  void capacitiesComeFromRegistrationAndHeartbeats() {
    assertThat(
            PlacementWire.capacity(
                RegisterWorkerRequest.newBuilder()
                    .setWorkerId("w1")
                    .setSlots(8)
                    .setMemoryBytes(1 << 20)
                    .build()))
        .isEqualTo(new WorkerCapacity("w1", 8, 1 << 20));
    assertThat(
            PlacementWire.capacity(
                HeartbeatRequest.newBuilder()
                    .setWorkerId("w1")
                    .setFreeSlots(3)
                    .setFreeMemoryBytes(5)
                    .build()))
        .isEqualTo(new WorkerCapacity("w1", 3, 5));
  }

  @Test
  void heartbeatsCarryTheWorkersContainerAndStoreMemory() {
    HeartbeatRequest h =
        HeartbeatRequest.newBuilder()
            .setWorkerId("w1")
            .setFreeSlots(3)
            .setFreeMemoryBytes(85L << 20)
            .setContainersMemoryGrantedBytes(256L << 20)
            .setContainersMemoryUsedBytes(170L << 20)
            .setStoreBudgetBytes(85L << 20)
            .build();
    assertThat(PlacementWire.memory(h))
        .isEqualTo(new io.sluice.master.membership.WorkerMemory(256L << 20, 170L << 20, 85L << 20));
    assertThat(PlacementWire.capacity(h)).isEqualTo(new WorkerCapacity("w1", 3, 85L << 20));
    assertThat(PlacementWire.memory(HeartbeatRequest.newBuilder().setWorkerId("w1").build()))
        .as("a worker that reports no memory")
        .isEqualTo(io.sluice.master.membership.WorkerMemory.NONE);
    assertThatThrownBy(
            () ->
                PlacementWire.memory(
                    HeartbeatRequest.newBuilder().setContainersMemoryUsedBytes(-1).build()))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void malformedMessagesNameTheField() {
    assertThatThrownBy(() -> PlacementWire.capacity(HeartbeatRequest.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("worker_id");
    assertThatThrownBy(
            () ->
                PlacementWire.capacity(
                    RegisterWorkerRequest.newBuilder().setWorkerId("w1").setSlots(-1).build()))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void observationsRefineHints() {
    HintRefiner refiner = new HintRefiner();
    PlacementWire.observe(
        NodeObservation.newBuilder()
            .setNodeId("a")
            .addOutputBytes(100)
            .addComputeNanos(1_000_000)
            .build(),
        refiner);

    Hints h = refiner.refine("a", Hints.NONE);

    assertThat(h.outputBytes()).isEqualTo(100);
    assertThat(h.computeTime().toMillis()).isEqualTo(1);
  }
}
