package io.sluice.faastore.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.faastore.Blob;
import io.sluice.faastore.DataKey;
import io.sluice.faastore.DataStore;
import io.sluice.proto.DataChunk;
import io.sluice.proto.DropInstanceDataRequest;
import io.sluice.proto.DropInstanceDataResponse;
import io.sluice.proto.FetchDataRequest;
import io.sluice.proto.PushDataResponse;

/**
 * The FaaStore methods of the peer gRPC service (PushData, FetchData, DropInstanceData), for a
 * worker's server to delegate to; the event stream of the same service lives elsewhere. {@code
 * local} is what peers reach of this worker's store: {@code TieredStore.peerView()}, or a memory
 * store.
 */
public final class PeerDataHandler {
  private final DataStore local;
  private final GrpcPeerOptions options;

  public PeerDataHandler(DataStore local, GrpcPeerOptions options) {
    this.local = local;
    this.options = options;
  }

  /** PushData: assembles the streamed chunks and stores the value in this worker's memory. */
  /**
   * How values travel (chunk size, flow-control window): the server serving this sets its window.
   */
  public GrpcPeerOptions options() {
    return options;
  }

  public StreamObserver<DataChunk> pushData(StreamObserver<PushDataResponse> response) {
    return new PushReceiver(local, options.maxValueSize(), response);
  }

  /**
   * FetchData: streams a value this worker holds, from the requested offset, as fast as the caller
   * reads; NOT_FOUND when it holds none. Call it from the service method itself (it sets the
   * stream's on-ready handler).
   */
  public void fetchData(FetchDataRequest request, StreamObserver<DataChunk> response) {
    ChunkSender sender = new ChunkSender(response, options.chunkSize());
    if (response instanceof ServerCallStreamObserver<DataChunk> call) {
      call.setOnReadyHandler(sender);
      call.setOnCancelHandler(sender::stop);
    }
    DataKey key;
    try {
      key = DataKey.parse(request.getKey());
    } catch (IllegalArgumentException e) {
      response.onError(GrpcErrors.invalidArgument("fetch: " + e.getMessage()));
      return;
    }
    local
        .get(key)
        .whenComplete(
            (found, error) -> {
              if (error != null) {
                response.onError(GrpcErrors.toStatusException(error));
              } else if (found.isEmpty()) {
                response.onError(
                    Status.NOT_FOUND
                        .withDescription("no value " + key + " in this worker's memory")
                        .asRuntimeException());
              } else {
                send(request, found.get(), sender, response);
              }
            });
  }

  /** DropInstanceData: forgets every value of the instance held in this worker's memory. */
  public void dropInstanceData(
      DropInstanceDataRequest request, StreamObserver<DropInstanceDataResponse> response) {
    if (request.getInstanceId().isEmpty()) {
      response.onError(GrpcErrors.invalidArgument("drop: instance_id is empty"));
      return;
    }
    local
        .deleteInstance(request.getInstanceId())
        .whenComplete(
            (v, error) -> {
              if (error != null) {
                response.onError(GrpcErrors.toStatusException(error));
              } else {
                response.onNext(DropInstanceDataResponse.getDefaultInstance());
                response.onCompleted();
              }
            });
  }

  private static void send(
      FetchDataRequest request,
      Blob value,
      ChunkSender sender,
      StreamObserver<DataChunk> response) {
    long offset = request.getOffset();
    if (offset < 0 || offset > value.size()) {
      response.onError(
          Status.OUT_OF_RANGE
              .withDescription(
                  "fetch of " + request.getKey() + " from offset " + offset + " of " + value.size())
              .asRuntimeException());
      return;
    }
    int from = (int) offset;
    sender.start(request.getKey(), value.size(), offset, value.slice(from, value.size() - from));
  }
}
