package io.sluice.faastore.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.cluster.grpc.GrpcErrors;
import io.sluice.faastore.Blob;
import io.sluice.faastore.DataKey;
import io.sluice.faastore.DataStore;
import io.sluice.proto.DataChunk;
import io.sluice.proto.PushDataResponse;

/**
 * The server side of one PushData stream: allocates the value once, sized from the first chunk's
 * {@code total_size}, copies each chunk into place, and stores the whole value in this worker's
 * memory when the stream ends. gRPC calls it one message at a time.
 */
final class PushReceiver implements StreamObserver<DataChunk> {
  private final DataStore local;
  private final long maxValueSize;
  private final StreamObserver<PushDataResponse> response;
  private DataKey key;
  private byte[] bytes;
  private int received;
  private boolean finished;

  PushReceiver(DataStore local, long maxValueSize, StreamObserver<PushDataResponse> response) {
    this.local = local;
    this.maxValueSize = maxValueSize;
    this.response = response;
  }

  @Override
  public void onNext(DataChunk chunk) {
    if (finished) {
      return;
    }
    try {
      if (bytes == null) {
        begin(chunk);
      }
      accept(chunk);
    } catch (StatusRuntimeException e) {
      fail(e);
    }
  }

  @Override
  public void onError(Throwable t) {
    finished = true; // the pushing worker gave up; drop what arrived
    bytes = null;
  }

  @Override
  public void onCompleted() {
    if (finished) {
      return;
    }
    if (bytes == null) {
      fail(GrpcErrors.invalidArgument("push stream ended before its first chunk"));
      return;
    }
    if (received != bytes.length) {
      fail(
          GrpcErrors.invalidArgument(
              "push of " + key + " ended after " + received + " of " + bytes.length + " bytes"));
      return;
    }
    finished = true;
    Blob value = Blob.wrap(bytes);
    bytes = null;
    local
        .put(key, value)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                response.onError(GrpcErrors.toStatusException(e));
              } else {
                response.onNext(
                    PushDataResponse.newBuilder()
                        .setKey(key.toString())
                        .setBytesReceived(value.size())
                        .build());
                response.onCompleted();
              }
            });
  }

  private void begin(DataChunk first) {
    try {
      key = DataKey.parse(first.getKey());
    } catch (IllegalArgumentException e) {
      throw GrpcErrors.invalidArgument("first pushed chunk: " + e.getMessage());
    }
    long total = first.getTotalSize();
    if (total < 0 || total > maxValueSize) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "pushed value "
                  + key
                  + " is "
                  + total
                  + " bytes; this worker takes values of 0.."
                  + maxValueSize
                  + " bytes (max-value-size)")
          .asRuntimeException();
    }
    bytes = new byte[(int) total];
  }

  private void accept(DataChunk chunk) {
    int size = chunk.getData().size();
    if (chunk.getOffset() != received || size > bytes.length - received) {
      throw GrpcErrors.invalidArgument(
          "pushed chunk of "
              + key
              + " at offset "
              + chunk.getOffset()
              + " with "
              + size
              + " bytes does not continue the "
              + received
              + " of "
              + bytes.length
              + " bytes received so far");
    }
    chunk.getData().copyTo(bytes, received);
    received += size;
  }

  private void fail(StatusRuntimeException e) {
    finished = true;
    bytes = null;
    response.onError(e);
  }
}
