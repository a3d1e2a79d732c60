package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.proto.EventAck;
import io.sluice.proto.EventBatch;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.testing.IntegrationTest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A peer that takes events but never acks them, then goes away; the real worker comes back on its
 * port. The sender must resend every unacked event, with the same ids, and the instances finish.
 */
@IntegrationTest // workers over gRPC on loopback
class PeerResendTest {

  /** A PeerService that records batches and never answers. */
  private static final class BlackHole extends PeerServiceGrpc.PeerServiceImplBase {
    final List<String> ids = new CopyOnWriteArrayList<>();

    @Override
    public StreamObserver<EventBatch> eventStream(StreamObserver<EventAck> acks) {
      return new StreamObserver<>() {
        @Override
        public void onNext(EventBatch b) {
          b.getEventsList().forEach(e -> ids.add(e.getId()));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }

  @Test
  void unackedEventsAreResentToTheWorkerThatComesBack() throws Exception {
    try (TestCluster cluster = new TestCluster("w1", "w2")) {
      WorkflowKey key =
          cluster.deploy("chain.yaml", Workflows.CHAIN, Map.of("a", "w1", "b", "w2", "c", "w2"));
      WorkerNode w2 = cluster.workers.get("w2");
      var runs =
          List.of(
              cluster.start("x1", key, IntNode.valueOf(1)),
              cluster.start("x2", key, IntNode.valueOf(10)));
      Awaitility.await().until(() -> cluster.workers.get("w1").peers().counters().acked() == 2);
      w2.stopServer();
      BlackHole hole = new BlackHole();
      Server fake =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", w2.port()))
              .withOption(ChannelOption.SO_REUSEADDR, true)
              .addService(hole)
              .build()
              .start();
      var y1 = cluster.expect("y1", key, IntNode.valueOf(100));
      var y2 = cluster.expect("y2", key, IntNode.valueOf(200));
      cluster.startOn("w1", "y1", key, IntNode.valueOf(100));
      cluster.startOn("w1", "y2", key, IntNode.valueOf(200));
      Awaitility.await().until(() -> hole.ids.size() == 2);
      PeerCounters before = cluster.workers.get("w1").peers().counters();
      assertThat(before.unacked()).isEqualTo(2);
      assertThat(before.acked()).isEqualTo(2);
      fake.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      w2.startServer();
      cluster.startOn("w2", "y1", key, IntNode.valueOf(100));
      cluster.startOn("w2", "y2", key, IntNode.valueOf(200));
      assertThat(runs.get(0).get(30, TimeUnit.SECONDS).output().asInt()).isEqualTo(4);
      assertThat(runs.get(1).get(30, TimeUnit.SECONDS).output().asInt()).isEqualTo(13);
      var y1Out = y1.get(30, TimeUnit.SECONDS);
      assertThat(y1Out.state()).isEqualTo(InstanceState.COMPLETED);
      assertThat(y1Out.output().asInt()).isEqualTo(103);
      assertThat(y2.get(30, TimeUnit.SECONDS).output().asInt()).isEqualTo(203);
      assertThat(hole.ids).containsExactlyInAnyOrder("y1/a/1/edge/0", "y2/a/1/edge/0");
      PeerLinks links = cluster.workers.get("w1").peers();
      Awaitility.await().until(() -> links.counters().unacked() == 0); // acks trail the results
      PeerCounters after = links.counters();
      assertThat(after.resent()).isEqualTo(2);
      assertThat(after.sent()).isEqualTo(4);
      assertThat(after.acked()).isEqualTo(4);
      assertThat(w2.server().eventsReceived()).isEqualTo(2);
    }
  }
}
