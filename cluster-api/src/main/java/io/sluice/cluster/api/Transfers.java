package io.sluice.cluster.api;

/**
 * Bytes of intermediate data an instance moved, by path: {@code localBytes} handed over inside this
 * worker's memory, {@code peerBytes} pushed to or fetched from another worker, {@code redisBytes}
 * written to or read from Redis (including spills).
 */
public record Transfers(long localBytes, long peerBytes, long redisBytes) {
  public static final Transfers NONE = new Transfers(0, 0, 0);

  public Transfers plus(Transfers o) {
    return new Transfers(
        localBytes + o.localBytes, peerBytes + o.peerBytes, redisBytes + o.redisBytes);
  }
}
