package io.sluice.master.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.ServerCallStreamObserver;
import io.sluice.proto.HistoryEvent;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InstanceUpdate;
import io.sluice.proto.NodeRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceWatchTest {
  /** A client stream whose readiness the test decides. */
  static final class Client extends ServerCallStreamObserver<InstanceUpdate> {
    final List<InstanceUpdate> got = new ArrayList<>();
    boolean ready = true;
    boolean completed;
    Runnable onReady = () -> {};
    Runnable onCancel = () -> {};

    void becomeReady() {
      ready = true;
      onReady.run();
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setOnReadyHandler(Runnable r) {
      onReady = r;
    }

    @Override
    public void setOnCancelHandler(Runnable r) {
      onCancel = r;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setCompression(String c) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int n) {}

    @Override
    public void setMessageCompression(boolean e) {}

    @Override
    public void onNext(InstanceUpdate u) {
      got.add(u);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      completed = true;
    }
  }

  private static long seq;

  private static void step(InstanceWatch w, String node, String state) {
    w.step(
        NodeRun.newBuilder().setNodeId(node).setState(state).build(),
        HistoryEvent.newBuilder().setSeq(++seq).setType("node." + state).setNodeId(node).build());
  }

  private static InstanceStatus status(InstanceState s) {
    return InstanceStatus.newBuilder().setInstanceId("i").setState(s).build();
  }

  @Test
  void aReadyClientGetsTheStatusEachStepInOrderThenTheEnd() {
    Client c = new Client();
    InstanceWatch w = new InstanceWatch(c, 4, () -> {});
    w.first(status(InstanceState.INSTANCE_STATE_RUNNING));
    step(w, "a", "started");
    step(w, "a", "completed");
    w.last(status(InstanceState.INSTANCE_STATE_SUCCEEDED));
    step(w, "b", "started"); // after the end: not sent
    assertThat(c.got).hasSize(4);
    assertThat(c.got.get(0).hasStatus()).isTrue();
    assertThat(c.got.subList(1, 3))
        .extracting(u -> u.getStep().getType())
        .containsExactly("node.started", "node.completed");
    assertThat(c.got.get(3).getStatus().getState())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(c.completed).isTrue();
  }

  @Test
  void aLaggingClientGetsTheLatestRowPerNodeAndTheEndAfterThem() {
    Client c = new Client();
    c.ready = false;
    InstanceWatch w = new InstanceWatch(c, 2, () -> {});
    w.first(status(InstanceState.INSTANCE_STATE_RUNNING));
    for (int i = 0; i < 100; i++) {
      step(w, "a", "started");
      step(w, "b", "retrying");
    }
    step(w, "a", "completed");
    w.last(status(InstanceState.INSTANCE_STATE_SUCCEEDED));
    assertThat(c.got).isEmpty(); // nothing written while the client is not ready
    c.becomeReady();
    // the first status and the queued step, then one update per node, then the end
    assertThat(c.got).hasSizeLessThanOrEqualTo(5);
    assertThat(c.got.get(0).hasStatus()).isTrue();
    assertThat(c.got)
        .filteredOn(InstanceUpdate::hasNode)
        .extracting(u -> u.getNode().getNodeId() + " " + u.getNode().getState())
        .contains("a completed", "b retrying");
    assertThat(c.got.get(c.got.size() - 1).getStatus().getState())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    assertThat(w.coalesced()).isGreaterThan(190);
    assertThat(c.completed).isTrue();
  }

  @Test
  void aCancelledClientIsForgotten() {
    Client c = new Client();
    List<String> stopped = new ArrayList<>();
    InstanceWatch w = new InstanceWatch(c, 2, () -> stopped.add("stop"));
    c.onCancel.run();
    step(w, "a", "started");
    assertThat(c.got).isEmpty();
    assertThat(stopped).containsExactly("stop");
  }
}
