package io.sluice.cluster.net;

import io.sluice.cluster.config.LinkConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of one relayed connection, modelled as a link ({@link LinkClock}). A reader thread
 * reads chunks from {@code from} and stamps each with its arrival time; a writer thread writes each
 * to {@code to} when it is due ({@link PreciseWait}: to the microsecond for the last chunk queued,
 * the end of a message; without spinning for chunks in the middle of a burst). At most {@link
 * #MAX_IN_FLIGHT} bytes wait between them: past that the reader stops reading, so the sender feels
 * back-pressure through TCP. The end of the input (a close or half-close) reaches {@code to} as a
 * half-close, one latency later. A link with no latency and no bandwidth limit is a plain relay:
 * the reader writes each chunk itself and there is no writer thread.
 */
final class Pipe {
  /** Bytes read but not yet delivered, at most (a chunk always fits when none wait). */
  static final int MAX_IN_FLIGHT = 4 << 20;

  /** Why a pipe ended. */
  enum End {
    /** The input ended and that end was passed on (a half-close). */
    EOF,
    /** A socket failed or the pipe was closed. */
    ERROR
  }

  /** Told once when the pipe ends. */
  interface Listener {
    void ended(Pipe pipe, End how);
  }

  private record Chunk(byte[] data, int length, long arrival) {
    boolean eof() {
      return length < 0;
    }
  }

  private final String name;
  private final Socket from;
  private final Socket to;
  private final LinkConfig link;
  private final LinkClock clock;
  private final LongAdder bytes;
  private final LongAdder chunks;
  private final Listener listener;
  private final boolean plain;
  private final Thread reader;
  private final Thread writer;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  // Guarded by lock.
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private long inFlight;
  private volatile Chunk last;
  private volatile boolean closed;
  private final AtomicBoolean ended = new AtomicBoolean();

  /**
   * @param name names the threads, e.g. {@code sluice-link w1->10.0.0.2:7401 #3 out}
   * @param bytes counts bytes delivered to {@code to}
   * @param chunks counts chunks delivered to {@code to}
   */
  Pipe(
      String name,
      Socket from,
      Socket to,
      LinkConfig link,
      LongAdder bytes,
      LongAdder chunks,
      Listener listener) {
    this.name = name;
    this.from = from;
    this.to = to;
    this.link = link;
    this.clock = new LinkClock(link);
    this.bytes = bytes;
    this.chunks = chunks;
    this.listener = listener;
    this.plain = link.latency().isZero() && !link.paced();
    this.reader = daemon(plain ? this::relay : this::read, name + " reader");
    this.writer = plain ? null : daemon(this::write, name + " writer");
  }

  private static Thread daemon(Runnable body, String name) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  void start() {
    reader.start();
    if (writer != null) {
      writer.start();
    }
  }

  String name() {
    return name;
  }

  /** Stops both threads (the caller closes the sockets, which unblocks a read or a write). */
  void close() {
    closed = true;
    if (writer != null) {
      lock.lock();
      try {
        notEmpty.signalAll();
        notFull.signalAll();
      } finally {
        lock.unlock();
      }
      writer.interrupt();
    }
  }

  /** Waits up to {@code millis} for both threads to finish; false if one is still running. */
  boolean join(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Thread t : new Thread[] {reader, writer}) {
      if (t != null && t != Thread.currentThread()) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (t.isAlive()) {
          return false;
        }
      }
    }
    return true;
  }

  private void end(End how) {
    if (ended.compareAndSet(false, true)) {
      listener.ended(this, how);
    }
  }

  /** The plain relay: read, write, count; no model, no hand-off. */
  private void relay() {
    byte[] buf = new byte[LinkClock.chunkBytes(link)];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        bytes.add(n);
        chunks.increment();
      }
      to.shutdownOutput();
      end(End.EOF);
    } catch (IOException e) {
      end(End.ERROR);
    }
  }

  private void read() {
    byte[] buf = new byte[LinkClock.chunkBytes(link)];
    try {
      InputStream in = from.getInputStream();
      while (true) {
        int n = in.read(buf);
        long readAt = System.nanoTime();
        if (n < 0) {
          offer(new Chunk(null, -1, clock.arrival(readAt, 0)));
          return;
        }
        if (!offer(new Chunk(Arrays.copyOf(buf, n), n, clock.arrival(readAt, n)))) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      fail();
    }
  }

  /** Queues a chunk once there is room; false when the pipe was closed meanwhile. */
  private boolean offer(Chunk c) throws InterruptedException {
    int size = Math.max(0, c.length());
    lock.lock();
    try {
      while (!closed && inFlight > 0 && inFlight + size > MAX_IN_FLIGHT) {
        notFull.await();
      }
      if (closed) {
        return false;
      }
      queue.add(c);
      last = c;
      inFlight += size;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void write() {
    PreciseWait wait = new PreciseWait();
    try {
      OutputStream out = to.getOutputStream();
      while (true) {
        Chunk c = take();
        // a chunk with others queued behind it is part of a burst: its rate matters, not the
        // microseconds of its own arrival, so it is not worth spinning for
        if (c == null || !wait.until(c.arrival(), () -> closed, c == last)) {
          return;
        }
        if (c.eof()) {
          to.shutdownOutput();
          end(End.EOF);
          return;
        }
        out.write(c.data(), 0, c.length());
        bytes.add(c.length());
        chunks.increment();
        lock.lock();
        try {
          inFlight -= c.length();
          notFull.signal();
        } finally {
          lock.unlock();
        }
      }
    } catch (IOException e) {
      fail();
    }
  }

  /** The next chunk, waiting for one; null once closed. */
  private Chunk take() {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        notEmpty.awaitUninterruptibly();
      }
      return closed ? null : queue.poll();
    } finally {
      lock.unlock();
    }
  }

  private void fail() {
    if (!closed) {
      end(End.ERROR);
    }
  }
}
