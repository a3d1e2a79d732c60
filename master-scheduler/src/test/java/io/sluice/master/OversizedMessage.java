package io.sluice.master;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one request message of a given size, larger than a server accepts, without holding it in
 * memory: the message is a valid protobuf (one unknown length-delimited field of filler bytes)
 * streamed by an {@link InputStream} of known length, so gRPC writes the frame header with the full
 * length and then copies the stream in 1 MiB buffers. A server refuses the message from its 5-byte
 * header; once the first {@link #EAGER_BYTES} are out, the stream waits for the call to close and
 * then ends early (the client's own "length inaccurate" error then cancels a call already closed),
 * so the test holds a few MiB however large the claimed message is.
 */
final class OversizedMessage extends InputStream implements KnownLength {
  /** Bytes produced before waiting for the server's answer. */
  static final int EAGER_BYTES = 2 << 20;

  private static final long ANSWER_WAIT_MS = 30_000;
  private static final MethodDescriptor<Void, Void> FLUSH =
      MethodDescriptor.<Void, Void>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("sluice.test.Nothing/Flush")
          .setRequestMarshaller(new VoidMarshaller())
          .setResponseMarshaller(new VoidMarshaller())
          .build();

  private final byte[] prefix;
  private final long length;
  private final Channel channel;
  private final CompletableFuture<Status> closed;
  private long position;

  private OversizedMessage(long length, Channel channel, CompletableFuture<Status> closed) {
    this.length = length;
    this.channel = channel;
    this.closed = closed;
    this.prefix = prefix(length);
  }

  /**
   * Calls {@code method} on {@code channel} with one request of {@code length} bytes (and
   * half-closes); the status the call ended with.
   *
   * @throws TimeoutException when the call has not ended within 30 s of the message's start
   */
  static Status send(MethodDescriptor<?, ?> method, Channel channel, int length) throws Exception {
    // a connected channel: on one still connecting, gRPC holds the message and later writes it
    // from its own thread, which the stream would then block while it waits for the answer
    flush(channel).get(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
    MethodDescriptor<InputStream, Void> raw =
        MethodDescriptor.<InputStream, Void>newBuilder()
            .setFullMethodName(method.getFullMethodName())
            .setType(method.getType())
            .setRequestMarshaller(new StreamMarshaller())
            .setResponseMarshaller(new VoidMarshaller())
            .build();
    ClientCall<InputStream, Void> call =
        channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(Integer.MAX_VALUE);
    call.sendMessage(new OversizedMessage(length, channel, closed));
    if (!closed.isDone()) {
      call.halfClose();
    }
    return closed.get(ANSWER_WAIT_MS + 5_000, TimeUnit.MILLISECONDS);
  }

  /** Field 1000, wire type 2, and the varint length that makes the whole message {@code n}. */
  private static byte[] prefix(long n) {
    for (int lengthBytes = 1; lengthBytes <= 5; lengthBytes++) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      varint(b, (1000 << 3) | 2);
      long payload = n - b.size() - lengthBytes;
      varint(b, payload);
      if (b.size() + payload == n) {
        return b.toByteArray();
      }
    }
    throw new IllegalArgumentException("no length-delimited field makes " + n + " bytes");
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  @Override
  public int available() {
    return (int) (length - position);
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (position >= length) {
      return -1;
    }
    if (position >= EAGER_BYTES && awaitClose()) {
      return -1; // answered: the rest need not be made
    }
    int n = (int) Math.min(len, length - position);
    for (int i = 0; i < n; i++) {
      long at = position + i;
      b[off + i] = at < prefix.length ? prefix[(int) at] : (byte) 'x';
    }
    position += n;
    return n;
  }

  /**
   * Waits (bounded) for the call to close. gRPC queues the message's buffers without flushing them
   * until the whole message is written, so a cheap call to an unknown method on the same channel
   * flushes the queue and the server sees the frame header.
   */
  private boolean awaitClose() {
    long deadline = System.currentTimeMillis() + ANSWER_WAIT_MS;
    while (!closed.isDone() && System.currentTimeMillis() < deadline) {
      flush(channel);
      try {
        closed.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // not yet: flush again
      } catch (Exception e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return closed.isDone();
  }

  /** A call to an unknown method (UNIMPLEMENTED, no effect on the server); ends when it ends. */
  private static CompletableFuture<Status> flush(Channel channel) {
    CompletableFuture<Status> done = new CompletableFuture<>();
    ClientCall<Void, Void> call =
        channel.newCall(FLUSH, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            done.complete(status);
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(null);
    call.halfClose();
    return done;
  }

  /** Passes a request stream through. */
  private static final class StreamMarshaller implements MethodDescriptor.Marshaller<InputStream> {
    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      return stream;
    }
  }

  /** Sends nothing, ignores what comes back. */
  private static final class VoidMarshaller implements MethodDescriptor.Marshaller<Void> {
    @Override
    public InputStream stream(Void value) {
      return InputStream.nullInputStream();
    }

    @Override
    public Void parse(InputStream stream) {
      return null;
    }
  }
}
