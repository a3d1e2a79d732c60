package io.sluice.worker;

/**
 * What a worker's peer streams did so far.
 *
 * @param sent events put on a stream for the first time
 * @param acked events the receiving peer acknowledged
 * @param resent events sent again on a new stream because the old one broke before their ack
 * @param unacked events sent or queued and not acknowledged yet
 * @param reconnects streams opened after a previous one to the same peer ended
 */
public record PeerCounters(long sent, long acked, long resent, long unacked, long reconnects) {
  PeerCounters plus(PeerCounters o) {
    return new PeerCounters(
        sent + o.sent,
        acked + o.acked,
        resent + o.resent,
        unacked + o.unacked,
        reconnects + o.reconnects);
  }
}
