package io.sluice.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cloudevents.v1.proto.CloudEvent;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WireProtocolTest {

  private static CloudEvent completed(String id) {
    return CloudEvent.newBuilder()
        .setId(id)
        .setSource("sluice://worker/w1")
        .setSpecVersion("1.0")
        .setType("sluice.node.completed")
        .putAttributes(
            "subject",
            CloudEvent.CloudEventAttributeValue.newBuilder().setCeString("i-1/split").build())
        .setTextData("{\"node\":\"split\"}")
        .build();
  }

  @Test
  void eventBatchSurvivesTheWire() throws Exception {
    EventBatch batch =
        EventBatch.newBuilder()
            .setSenderWorkerId("w1")
            .setSequence(7)
            .addEvents(completed("e1"))
            .addEvents(completed("e2"))
            .build();

    EventBatch parsed = EventBatch.parseFrom(batch.toByteArray());

    assertThat(parsed).isEqualTo(batch);
    assertThat(parsed.getEvents(1).getAttributesOrThrow("subject").getCeString())
        .isEqualTo("i-1/split");
  }

  @Test
  void peerEventStreamAcksByEventIdOverLoopback() throws Exception {
    PeerServiceGrpc.PeerServiceImplBase acker =
        new PeerServiceGrpc.PeerServiceImplBase() {
          @Override
          public StreamObserver<EventBatch> eventStream(StreamObserver<EventAck> acks) {
            return new StreamObserver<>() {
              @Override
              public void onNext(EventBatch batch) {
                EventAck.Builder ack = EventAck.newBuilder().setSequence(batch.getSequence());
                batch.getEventsList().forEach(e -> ack.addEventIds(e.getId()));
                acks.onNext(ack.build());
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                acks.onCompleted();
              }
            };
          }
        };
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(acker)
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      List<EventAck> received = new CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      StreamObserver<EventBatch> out =
          PeerServiceGrpc.newStub(channel)
              .eventStream(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(EventAck ack) {
                      received.add(ack);
                    }

                    @Override
                    public void onError(Throwable t) {
                      done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                      done.countDown();
                    }
                  });
      out.onNext(EventBatch.newBuilder().setSequence(1).addEvents(completed("a")).build());
      out.onNext(
          EventBatch.newBuilder()
              .setSequence(2)
              .addEvents(completed("b"))
              .addEvents(completed("c"))
              .build());
      out.onCompleted();

      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(received)
          .extracting(ack -> List.copyOf(ack.getEventIdsList()))
          .containsExactly(List.of("a"), List.of("b", "c"));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void dataChunksCarryBytes() throws Exception {
    DataChunk chunk =
        DataChunk.newBuilder()
            .setKey("i-1/split/out")
            .setTotalSize(3)
            .setData(ByteString.copyFromUtf8("abc"))
            .setLast(true)
            .build();
    assertThat(DataChunk.parseFrom(chunk.toByteString()).getData().toStringUtf8()).isEqualTo("abc");
  }
}
