package io.sluice.cluster.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.EventAck;
import io.sluice.proto.EventBatch;
import io.sluice.proto.HeartbeatRequest;
import io.sluice.proto.HeartbeatResponse;
import io.sluice.proto.PeerServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every server built by {@link GrpcServer} answers an undecodable request with INVALID_ARGUMENT
 * (gRPC alone answered UNKNOWN or INTERNAL and logged a stack trace at SEVERE), sends bounded
 * status descriptions (a 20,000-character one reached the client as INTERNAL "http2 exception"),
 * and still runs the methods chosen for the I/O thread there. Inputs found by the wire fuzzer.
 */
class CallGuardTest {
  private static final byte[] GARBAGE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0B, 0x7F};
  private final AtomicReference<String> heartbeatThread = new AtomicReference<>();
  private final AtomicReference<String> streamThread = new AtomicReference<>();
  private GrpcServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server =
        GrpcServer.forAddress("test", "127.0.0.1", 0)
            .service(
                new ClusterServiceGrpc.ClusterServiceImplBase() {
                  @Override
                  public void heartbeat(
                      HeartbeatRequest request, StreamObserver<HeartbeatResponse> reply) {
                    heartbeatThread.set(Thread.currentThread().getName());
                    reply.onError(
                        Status.NOT_FOUND
                            .withDescription("unknown worker " + request.getWorkerId())
                            .asRuntimeException());
                  }
                })
            .service(
                new PeerServiceGrpc.PeerServiceImplBase() {
                  @Override
                  public StreamObserver<EventBatch> eventStream(StreamObserver<EventAck> acks) {
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(EventBatch b) {
                        streamThread.set(Thread.currentThread().getName());
                        acks.onNext(EventAck.newBuilder().setSequence(b.getSequence()).build());
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        acks.onCompleted();
                      }
                    };
                  }
                })
            .onIoThread(m -> m.equals(PeerServiceGrpc.getEventStreamMethod()))
            .start();
    channel = Grpc.newChannelBuilder(server.address(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void anUndecodableUnaryRequestIsInvalidArgument() throws Exception {
    Status s = send(ClusterServiceGrpc.getHeartbeatMethod(), List.of(GARBAGE));
    assertThat(s.getCode()).as(s.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).startsWith("malformed sluice.v1.ClusterService/Heartbeat");
  }

  @Test
  void anUndecodableFrameEndsAStreamWithInvalidArgument() throws Exception {
    byte[] valid = EventBatch.newBuilder().setSequence(1).build().toByteArray();
    Status s = send(PeerServiceGrpc.getEventStreamMethod(), List.of(valid, GARBAGE, valid));
    assertThat(s.getCode()).as(s.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).startsWith("malformed sluice.v1.PeerService/EventStream");
  }

  @Test
  void aLongDescriptionReachesTheClientBoundedWithItsCode() throws Exception {
    byte[] request =
        HeartbeatRequest.newBuilder().setWorkerId("w".repeat(20_000)).build().toByteArray();
    Status s = send(ClusterServiceGrpc.getHeartbeatMethod(), List.of(request));
    assertThat(s.getCode()).as(s.toString()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(s.getDescription())
        .startsWith("unknown worker www")
        .endsWith("more chars)")
        .hasSizeLessThan(CallGuard.MAX_DESCRIPTION + 40);
  }

  @Test
  void methodsChosenForTheIoThreadStillRunThere() throws Exception {
    byte[] batch = EventBatch.newBuilder().setSequence(1).build().toByteArray();
    assertThat(send(PeerServiceGrpc.getEventStreamMethod(), List.of(batch)).getCode())
        .isEqualTo(Status.Code.OK);
    send(
        ClusterServiceGrpc.getHeartbeatMethod(),
        List.of(HeartbeatRequest.getDefaultInstance().toByteArray()));
    assertThat(heartbeatThread.get()).contains("grpc-default-executor");
    assertThat(streamThread.get()).isNotNull().doesNotContain("grpc-default-executor");
  }

  private Status send(MethodDescriptor<?, ?> method, List<byte[]> frames) throws Exception {
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setFullMethodName(method.getFullMethodName())
            .setType(method.getType())
            .setRequestMarshaller(RAW)
            .setResponseMarshaller(RAW)
            .build();
    ClientCall<byte[], byte[]> call =
        channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(100);
    frames.forEach(call::sendMessage);
    call.halfClose();
    return closed.get(40, TimeUnit.SECONDS);
  }

  private static final MethodDescriptor.Marshaller<byte[]> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
}
