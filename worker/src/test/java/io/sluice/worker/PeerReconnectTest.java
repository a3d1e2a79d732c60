package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.api.EdgeEvent;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.proto.EventAck;
import io.sluice.proto.EventBatch;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.testing.IntegrationTest;
import io.sluice.time.SystemScheduler;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A peer that is down for a while (killed, not yet restarted) and then listens again on its
 * address: the link keeps trying and delivers what was queued for it. Found by the chaos test: once
 * the link's gRPC channel waited out its reconnect backoff, a new stream failed inside {@code
 * eventStream()} on the direct executor, the link kept that dead stream as its current one and
 * never opened another, so every later event for the restarted worker stayed queued and the
 * instances waiting for them hung.
 */
@IntegrationTest // a peer stream over gRPC on loopback
class PeerReconnectTest {

  /** A PeerService that acks every event and records its id. */
  private static final class Acker extends PeerServiceGrpc.PeerServiceImplBase {
    final List<String> ids = new CopyOnWriteArrayList<>();

    @Override
    public StreamObserver<EventBatch> eventStream(StreamObserver<EventAck> acks) {
      return new StreamObserver<>() {
        @Override
        public void onNext(EventBatch b) {
          b.getEventsList().forEach(e -> ids.add(e.getId()));
          acks.onNext(
              EventAck.newBuilder()
                  .setSequence(b.getSequence())
                  .addAllEventIds(b.getEventsList().stream().map(e -> e.getId()).toList())
                  .build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          acks.onCompleted();
        }
      };
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void eventsQueuedWhileThePeerIsDownReachItWhenItListensAgain() throws Exception {
    int port = freePort(); // nothing listens there yet: the peer is down
    SystemScheduler scheduler = new SystemScheduler(1);
    PeerLinks links = new PeerLinks("w1", PeerLinkOptions.DEFAULT, scheduler);
    Server server = null;
    try {
      links.addPeers(Map.of("w2", "127.0.0.1:" + port));
      WorkflowKey key = new WorkflowKey("wf", "1");
      links.enqueue(
          "w2", new EdgeEvent("i1/a/1/edge/0", "i1", key, 0, "a", "b", IntNode.valueOf(1)));
      links.flush();
      // Several streams fail while the peer is down, also once the channel is in its reconnect
      // backoff (where a new call fails inside eventStream()); the link goes on opening new ones.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> links.counters("w2").reconnects() >= 4);
      Acker acker = new Acker();
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
              .withOption(ChannelOption.SO_REUSEADDR, true)
              .addService(acker)
              .build()
              .start();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> links.counters("w2").acked() == 1);
      assertThat(acker.ids).contains("i1/a/1/edge/0");
      assertThat(links.counters("w2").unacked()).isZero();
    } finally {
      links.close();
      if (server != null) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      scheduler.close();
    }
  }
}
