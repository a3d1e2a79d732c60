package io.sluice.faastore.grpc;

import io.sluice.cluster.config.StoreConfig;
import java.time.Duration;

/**
 * How values travel between workers over gRPC. Every worker of a cluster should use the same chunk
 * size: a server accepts messages up to {@link #maxInboundMessageSize()}.
 *
 * @param chunkSize bytes per {@code DataChunk} message, pushed and fetched
 * @param callTimeout bound on one push, fetch or drop; a peer that does not answer in time gives a
 *     retryable error instead of a hang
 * @param maxValueSize the largest value a worker accepts from a push or a fetch
 * @param flowControlWindow the HTTP/2 flow-control window of channels and servers, in bytes
 */
public record GrpcPeerOptions(
    int chunkSize, Duration callTimeout, long maxValueSize, int flowControlWindow) {
  private static final int MESSAGE_OVERHEAD = 64 << 10;

  public GrpcPeerOptions {
    if (chunkSize <= 0 || chunkSize > 64 << 20) {
      throw new IllegalArgumentException(
          "peer chunk size " + chunkSize + " bytes must be in 1B..64MB");
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("peer call timeout " + callTimeout + " must be positive");
    }
    if (maxValueSize < 0 || maxValueSize > StoreConfig.MAX_BLOB) {
      throw new IllegalArgumentException(
          "peer max value size " + maxValueSize + " must be in 0.." + StoreConfig.MAX_BLOB);
    }
    if (flowControlWindow <= 0) {
      throw new IllegalArgumentException(
          "peer flow-control window " + flowControlWindow + " must be positive");
    }
  }

  /** 1 MB chunks, 60 s per call, 512 MB values at most, an 8 MB flow-control window. */
  public static GrpcPeerOptions defaults() {
    return new GrpcPeerOptions(1 << 20, Duration.ofSeconds(60), 512L << 20, 8 << 20);
  }

  /** The defaults with the store's largest value. */
  public static GrpcPeerOptions of(StoreConfig config) {
    return defaults().withMaxValueSize(config.maxValueSize());
  }

  public GrpcPeerOptions withChunkSize(int bytes) {
    return new GrpcPeerOptions(bytes, callTimeout, maxValueSize, flowControlWindow);
  }

  public GrpcPeerOptions withCallTimeout(Duration timeout) {
    return new GrpcPeerOptions(chunkSize, timeout, maxValueSize, flowControlWindow);
  }

  public GrpcPeerOptions withMaxValueSize(long bytes) {
    return new GrpcPeerOptions(chunkSize, callTimeout, bytes, flowControlWindow);
  }

  /** Largest message a channel or server accepts: a chunk (at least 4 MB) plus its header. */
  public int maxInboundMessageSize() {
    return Math.max(chunkSize, 4 << 20) + MESSAGE_OVERHEAD;
  }
}
