package io.sluice.cluster.net;

/**
 * What emulated links carried: connections accepted, and bytes and chunks (as read and delivered in
 * one piece) in each direction. "Sent" is toward the dialled target, "received" back from it.
 */
public record LinkCounters(
    long connections, long bytesSent, long chunksSent, long bytesReceived, long chunksReceived) {
  public static final LinkCounters ZERO = new LinkCounters(0, 0, 0, 0, 0);

  public LinkCounters plus(LinkCounters o) {
    return new LinkCounters(
        connections + o.connections,
        bytesSent + o.bytesSent,
        chunksSent + o.chunksSent,
        bytesReceived + o.bytesReceived,
        chunksReceived + o.chunksReceived);
  }
}
