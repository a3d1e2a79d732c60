package io.sluice.faastore.grpc;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.faastore.Blob;
import io.sluice.faastore.DataKey;
import io.sluice.proto.DataChunk;
import io.sluice.proto.FetchDataRequest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of one FetchData stream: one allocation of the value's size when the first chunk
 * arrives, each chunk copied into place, the value complete when the stream ends. NOT_FOUND means
 * the peer does not hold the value. Failures complete the result with the gRPC status.
 */
final class FetchReceiver implements ClientResponseObserver<FetchDataRequest, DataChunk> {
  private final DataKey key;
  private final long maxValueSize;
  private final CompletableFuture<Optional<Blob>> result;
  private ClientCallStreamObserver<FetchDataRequest> call;
  private byte[] bytes;
  private int received;

  FetchReceiver(DataKey key, long maxValueSize, CompletableFuture<Optional<Blob>> result) {
    this.key = key;
    this.maxValueSize = maxValueSize;
    this.result = result;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<FetchDataRequest> requestStream) {
    this.call = requestStream;
  }

  @Override
  public void onNext(DataChunk chunk) {
    if (result.isDone()) {
      return;
    }
    if (bytes == null) {
      long total = chunk.getTotalSize();
      if (total < 0 || total > maxValueSize) {
        abort("announced " + total + " bytes; this worker takes 0.." + maxValueSize);
        return;
      }
      bytes = new byte[(int) total];
    }
    int size = chunk.getData().size();
    if (chunk.getOffset() != received || size > bytes.length - received) {
      abort("sent a chunk at offset " + chunk.getOffset() + " after " + received + " bytes");
      return;
    }
    chunk.getData().copyTo(bytes, received);
    received += size;
  }

  @Override
  public void onError(Throwable t) {
    if (Status.fromThrowable(t).getCode() == Status.Code.NOT_FOUND) {
      result.complete(Optional.empty());
    } else {
      result.completeExceptionally(t);
    }
  }

  @Override
  public void onCompleted() {
    if (bytes == null || received != bytes.length) {
      result.completeExceptionally(
          GrpcErrors.invalidArgument(
              "fetch of "
                  + key
                  + " ended after "
                  + received
                  + " of "
                  + (bytes == null ? "unknown" : bytes.length)
                  + " bytes"));
      return;
    }
    result.complete(Optional.of(Blob.wrap(bytes)));
  }

  private void abort(String why) {
    RuntimeException e = GrpcErrors.invalidArgument("fetch of " + key + ": the peer " + why);
    result.completeExceptionally(e);
    bytes = null;
    call.cancel(e.getMessage(), null);
  }
}
