package io.sluice.runtime.http;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into one array, refusing it as soon as it grows past the limit (the
 * runtime's {@code maxOutputBytes}): a {@code Content-Length} over it is refused before any byte is
 * read, and a body without one stops being read when it crosses it.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** The body was larger than the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    final long bytes;
    final boolean exact;

    TooLarge(long bytes, boolean exact) {
      super("response body over the limit", null);
      this.bytes = bytes;
      this.exact = exact;
    }
  }

  private final long limit;
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private byte[] buf;
  private int size;
  private Flow.Subscription subscription;

  private LimitedBody(long limit, long expected) {
    this.limit = limit;
    this.buf = new byte[(int) Math.max(0, Math.min(expected, 1 << 20))];
  }

  /** A handler that reads bodies of at most {@code limit} bytes. */
  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info -> {
      long length = info.headers().firstValueAsLong("content-length").orElse(-1);
      if (length > limit) {
        return new Refused(new TooLarge(length, true));
      }
      return new LimitedBody(limit, length < 0 ? 256 : length);
    };
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      if ((long) size + n > limit) {
        body.completeExceptionally(new TooLarge((long) size + n, false));
        subscription.cancel();
        buf = null;
        return;
      }
      if (size + n > buf.length) {
        long want = Math.min(limit, Math.max(size + n, 2L * buf.length));
        byte[] bigger = new byte[(int) Math.min(want, Integer.MAX_VALUE - 8)];
        System.arraycopy(buf, 0, bigger, 0, size);
        buf = bigger;
      }
      b.get(buf, size, n);
      size += n;
    }
  }

  @Override
  public void onError(Throwable t) {
    body.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (!body.isDone()) {
      body.complete(size == buf.length ? buf : Arrays.copyOf(buf, size));
    }
  }

  /** The subscriber of a body refused from its headers: cancels at once and fails. */
  private static final class Refused implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();

    Refused(TooLarge why) {
      body.completeExceptionally(why);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> items) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onComplete() {}
  }
}
