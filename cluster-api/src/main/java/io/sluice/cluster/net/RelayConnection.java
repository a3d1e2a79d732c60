package io.sluice.cluster.net;

import io.sluice.cluster.config.LinkConfig;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One accepted connection relayed to the target: two {@link Pipe}s, "out" (client to target) and
 * "in" (target to client), each its own link. A close or half-close of one side reaches the other
 * side one latency later; once both directions have ended the two sockets are closed, and a failed
 * read or write on either side closes both at once.
 */
final class RelayConnection {
  private final Socket client;
  private final Socket target;
  private final Pipe out;
  private final Pipe in;
  private final AtomicInteger ended = new AtomicInteger();
  private final Runnable onClose;
  private volatile boolean closed;

  /** Per-relay counters the two pipes add to: bytes and chunks out, bytes and chunks in. */
  record Counters(LongAdder bytesOut, LongAdder chunksOut, LongAdder bytesIn, LongAdder chunksIn) {
    Counters() {
      this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
    }
  }

  RelayConnection(
      String name,
      Socket client,
      Socket target,
      LinkConfig link,
      Counters counters,
      Runnable onClose) {
    this.client = client;
    this.target = target;
    this.onClose = onClose;
    Pipe.Listener listener = this::ended;
    this.out =
        new Pipe(
            name + " out",
            client,
            target,
            link,
            counters.bytesOut(),
            counters.chunksOut(),
            listener);
    this.in =
        new Pipe(
            name + " in", target, client, link, counters.bytesIn(), counters.chunksIn(), listener);
  }

  void start() {
    out.start();
    in.start();
  }

  private void ended(Pipe pipe, Pipe.End how) {
    if (how == Pipe.End.ERROR || ended.incrementAndGet() == 2) {
      close();
    }
  }

  /** Closes both sockets and stops both pipes; safe to call more than once. */
  void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    out.close();
    in.close();
    closeQuietly(client);
    closeQuietly(target);
    onClose.run();
  }

  /** Waits up to {@code millis} for the pipes' threads; false if one is still running. */
  boolean join(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    return out.join(millis) && in.join(Math.max(1, deadline - System.currentTimeMillis()));
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed or reset: nothing left to release
    }
  }
}
