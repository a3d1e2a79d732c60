package io.sluice.faastore.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.DataChunk;
import io.sluice.proto.DropInstanceDataRequest;
import io.sluice.proto.DropInstanceDataResponse;
import io.sluice.proto.EventAck;
import io.sluice.proto.EventBatch;
import io.sluice.proto.FetchDataRequest;
import io.sluice.proto.PeerServiceGrpc;
import io.sluice.proto.PushDataResponse;

/**
 * A peer service that serves only FaaStore data (tests, benchmarks, a store-only process); worker
 * servers delegate the data methods to a {@link PeerDataHandler} next to their event stream.
 */
public final class PeerService extends PeerServiceGrpc.PeerServiceImplBase {
  private final PeerDataHandler data;

  public PeerService(PeerDataHandler data) {
    this.data = data;
  }

  @Override
  public StreamObserver<EventBatch> eventStream(StreamObserver<EventAck> responseObserver) {
    responseObserver.onError(
        Status.UNIMPLEMENTED
            .withDescription("this server carries FaaStore data only, not the event stream")
            .asRuntimeException());
    return new StreamObserver<>() {
      @Override
      public void onNext(EventBatch value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  @Override
  public StreamObserver<DataChunk> pushData(StreamObserver<PushDataResponse> responseObserver) {
    return data.pushData(responseObserver);
  }

  @Override
  public void fetchData(FetchDataRequest request, StreamObserver<DataChunk> responseObserver) {
    data.fetchData(request, responseObserver);
  }

  @Override
  public void dropInstanceData(
      DropInstanceDataRequest request, StreamObserver<DropInstanceDataResponse> responseObserver) {
    data.dropInstanceData(request, responseObserver);
  }
}
