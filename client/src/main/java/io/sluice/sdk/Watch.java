package io.sluice.sdk;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.InstanceUpdate;
import io.sluice.proto.WorkflowServiceGrpc.WorkflowServiceStub;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running watch of one instance (WatchInstance): it hands each update to its listener and ends
 * with the instance, or with an error. When the stream breaks with UNAVAILABLE (a master restart, a
 * lost connection) it subscribes again after the client's backoff, up to the client's attempts in a
 * row; the new stream starts again with the whole status. {@link #close()} stops it.
 */
public final class Watch implements AutoCloseable {
  private final String instanceId;
  private final WatchListener listener;
  private final WorkflowServiceStub stub;
  private final Calls calls;
  private final ScheduledExecutorService timer;
  private final CompletableFuture<InstanceStatus> result = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<GetInstanceRequest> call;
  private volatile boolean closed;
  private int failures; // consecutive broken streams; reset by any update
  private InstanceStatus last;

  Watch(
      String instanceId,
      WatchListener listener,
      WorkflowServiceStub stub,
      Calls calls,
      ScheduledExecutorService timer) {
    this.instanceId = instanceId;
    this.listener = listener;
    this.stub = stub;
    this.calls = calls;
    this.timer = timer;
    result.whenComplete(
        (r, t) -> {
          if (t instanceof CancellationException) {
            close();
          }
        });
  }

  /** The final status once the instance ends; failed with a {@link SluiceException} otherwise. */
  public CompletableFuture<InstanceStatus> result() {
    return result;
  }

  /** Stops watching (the instance runs on); {@link #result()} is cancelled if not yet complete. */
  @Override
  public void close() {
    closed = true;
    var c = call;
    if (c != null) {
      c.cancel("the client closed the watch", null);
    }
    result.cancel(false);
  }

  void subscribe() {
    if (closed) {
      return;
    }
    synchronized (this) {
      if (failures > 0) {
        calls.reconnect(); // the channel's own backoff would fail the new stream at once
      }
    }
    stub.watchInstance(
        GetInstanceRequest.newBuilder().setInstanceId(instanceId).build(), new Observer());
  }

  private synchronized void retryOrFail(Throwable failure) {
    failures++;
    boolean broken =
        failure == null || Status.fromThrowable(failure).getCode() == Status.Code.UNAVAILABLE;
    if (broken && failures < calls.maxAttempts()) {
      try {
        timer.schedule(this::subscribe, calls.backoff(failures).toNanos(), TimeUnit.NANOSECONDS);
        return;
      } catch (java.util.concurrent.RejectedExecutionException closedClient) {
        // the client is closed: the watch ends with the failure below
      }
    }
    SluiceException e =
        failure == null
            ? new UnavailableException(
                "UNAVAILABLE",
                "WatchInstance of "
                    + instanceId
                    + ": the stream ended before the instance did, "
                    + failures
                    + " times in a row",
                null)
            : calls.error("WatchInstance", Calls.Subject.INSTANCE, failure, failures);
    fail(e);
  }

  private void fail(SluiceException e) {
    if (result.isDone()) {
      return;
    }
    try {
      listener.onError(e);
    } finally {
      result.completeExceptionally(e);
    }
  }

  private final class Observer
      implements ClientResponseObserver<GetInstanceRequest, InstanceUpdate> {
    @Override
    public void beforeStart(ClientCallStreamObserver<GetInstanceRequest> stream) {
      call = stream;
    }

    @Override
    public void onNext(InstanceUpdate u) {
      if (closed || result.isDone()) {
        return;
      }
      Progress p = Wire.progress(u);
      synchronized (Watch.this) {
        failures = 0;
        if (p.status() != null) {
          last = p.status();
        }
      }
      try {
        listener.onProgress(p);
      } catch (RuntimeException e) {
        closed = true;
        call.cancel("the watch listener failed", e);
        result.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!closed) {
        retryOrFail(t);
      }
    }

    @Override
    public void onCompleted() {
      if (closed) {
        return;
      }
      InstanceStatus end;
      synchronized (Watch.this) {
        end = last;
      }
      if (end == null || !end.ended()) {
        retryOrFail(null);
        return;
      }
      try {
        listener.onEnd(end);
        result.complete(end);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }
  }
}
