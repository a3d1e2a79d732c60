package io.sluice.faastore.grpc;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.faastore.Blob;
import io.sluice.proto.DataChunk;

/**
 * Sends one value as {@link DataChunk}s, only while the stream is ready (gRPC's outbound flow
 * control), so a 64 MB value never sits in gRPC's buffers at once. Register it as the stream's
 * on-ready handler, then {@link #start} it; it runs again each time the stream becomes ready.
 * Chunks wrap the value's bytes without copying them (protobuf copies once, into the frame).
 */
final class ChunkSender implements Runnable {
  private final StreamObserver<DataChunk> out;
  private final int chunkSize;
  private String key;
  private long totalSize;
  private long baseOffset;
  private Blob value;
  private int next;
  private boolean first = true;
  private boolean done;

  ChunkSender(StreamObserver<DataChunk> out, int chunkSize) {
    this.out = out;
    this.chunkSize = chunkSize;
  }

  /**
   * Sends {@code value}, the bytes from {@code baseOffset} of the {@code totalSize}-byte value
   * {@code key}, as far as the stream is ready now.
   */
  synchronized void start(String key, long totalSize, long baseOffset, Blob value) {
    this.key = key;
    this.totalSize = totalSize;
    this.baseOffset = baseOffset;
    this.value = value;
    run();
  }

  /** The call ended (cancelled or failed): send nothing more. */
  synchronized void stop() {
    done = true;
  }

  @Override
  public synchronized void run() {
    while (value != null && !done && ready()) {
      int length = Math.min(chunkSize, value.size() - next);
      boolean last = next + length == value.size();
      DataChunk.Builder chunk =
          DataChunk.newBuilder()
              .setOffset(baseOffset + next)
              .setData(
                  UnsafeByteOperations.unsafeWrap(value.slice(next, length).asReadOnlyBuffer()))
              .setLast(last);
      if (first) {
        chunk.setKey(key).setTotalSize(totalSize);
        first = false;
      }
      out.onNext(chunk.build());
      next += length;
      if (last) {
        done = true;
        value = null;
        out.onCompleted();
      }
    }
  }

  private boolean ready() {
    return !(out instanceof CallStreamObserver<?> call) || call.isReady();
  }
}
