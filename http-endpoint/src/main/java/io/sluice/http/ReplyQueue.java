package io.sluice.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;

/**
 * The replies of one connection, written in the order their requests arrived (HTTP/1.1 pipelining)
 * whenever each is ready, from whatever thread completed it. After a request that asks to close (or
 * a reply that must close), later requests are dropped and the connection closes once that reply is
 * written. With {@link #MAX_IN_FLIGHT} replies pending, the connection stops reading until one is
 * written. Used on the connection's event loop only ({@link #complete} hops there).
 */
final class ReplyQueue {
  static final int MAX_IN_FLIGHT = 32;

  /** A reserved place in the order; filled once its reply is known. */
  static final class Slot {
    private final boolean keepAlive;
    private Reply reply;

    private Slot(boolean keepAlive) {
      this.keepAlive = keepAlive;
    }
  }

  private final ChannelHandlerContext ctx;
  private final ArrayDeque<Slot> pending = new ArrayDeque<>();
  private boolean closing;
  private boolean paused;

  ReplyQueue(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** The next place, or null when the connection is closing (the request is dropped). */
  Slot reserve(boolean keepAlive) {
    if (closing) {
      return null;
    }
    closing = !keepAlive;
    Slot s = new Slot(keepAlive);
    pending.add(s);
    if (pending.size() >= MAX_IN_FLIGHT && !paused) {
      paused = true;
      ctx.channel().config().setAutoRead(false);
    }
    return s;
  }

  /** Sets a slot's reply; callable from any thread. */
  void complete(Slot slot, Reply reply) {
    if (ctx.executor().inEventLoop()) {
      fill(slot, reply);
    } else {
      ctx.executor().execute(() -> fill(slot, reply));
    }
  }

  /** Reserves and fills at once: for replies known when the request is read. */
  void reply(boolean keepAlive, Reply reply) {
    Slot s = reserve(keepAlive);
    if (s != null) {
      fill(s, reply);
    }
  }

  private void fill(Slot slot, Reply reply) {
    slot.reply = reply;
    boolean wrote = false;
    while (!pending.isEmpty() && pending.peek().reply != null) {
      Slot s = pending.poll();
      boolean keepAlive = s.keepAlive && !s.reply.close();
      if (!keepAlive) {
        closing = true;
        pending.clear();
        ctx.writeAndFlush(s.reply.toResponse(false)).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.write(s.reply.toResponse(true))
          .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    if (paused && pending.size() < MAX_IN_FLIGHT) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }
}
