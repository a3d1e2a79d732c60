package io.sluice.master.rpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.master.progress.ProgressListener;
import io.sluice.proto.HistoryEvent;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InstanceUpdate;
import io.sluice.proto.NodeRun;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One WatchInstance subscriber: the full status first, an update per step (node row + history
 * step), then the final status. Steps are heard on the recording thread (a worker's ReportProgress
 * call), so they are only queued here and written when the client's stream is ready; a client that
 * lags past {@code capacity} queued updates gets the latest update per node instead of each one
 * (coalesced), so neither memory nor the reporting workers wait for it.
 */
final class InstanceWatch implements ProgressListener {
  private final StreamObserver<InstanceUpdate> out;
  private final ServerCallStreamObserver<InstanceUpdate> flow;
  private final int capacity;
  private final ArrayDeque<InstanceUpdate> queue = new ArrayDeque<>();
  private final Map<String, InstanceUpdate> coalesced = new LinkedHashMap<>();
  private InstanceUpdate last;
  private boolean closed;
  private long coalescedCount;

  InstanceWatch(StreamObserver<InstanceUpdate> out, int capacity, Runnable onCancel) {
    this.out = out;
    this.capacity = capacity;
    this.flow = out instanceof ServerCallStreamObserver<InstanceUpdate> s ? s : null;
    if (flow != null) {
      flow.setOnReadyHandler(this::drain);
      flow.setOnCancelHandler(
          () -> {
            synchronized (this) {
              closed = true;
              queue.clear();
              coalesced.clear();
            }
            onCancel.run();
          });
    }
  }

  /** The first update: the whole status with its node table. */
  void first(InstanceStatus s) {
    offer(InstanceUpdate.newBuilder().setStatus(s).build(), null);
  }

  @Override
  public void step(NodeRun node, HistoryEvent step) {
    InstanceUpdate.Builder u = InstanceUpdate.newBuilder().setStep(step);
    if (node != null) {
      u.setNode(node);
    }
    offer(u.build(), node == null ? "#" + step.getType() : node.getNodeId());
  }

  /** The last update: the final status; the stream ends after it. */
  void last(InstanceStatus s) {
    synchronized (this) {
      if (closed || last != null) {
        return;
      }
      last = InstanceUpdate.newBuilder().setStatus(s).build();
    }
    drain();
  }

  /** Updates coalesced away so far (the client lagged). */
  synchronized long coalesced() {
    return coalescedCount;
  }

  private void offer(InstanceUpdate u, String key) {
    synchronized (this) {
      if (closed || last != null) {
        return;
      }
      if (coalesced.isEmpty() && (key == null || queue.size() < capacity)) {
        queue.addLast(u);
      } else { // lagging: the latest update per node stands for the ones before it
        if (coalesced.put(key, u) != null) {
          coalescedCount++;
        }
      }
    }
    drain();
  }

  private synchronized void drain() {
    if (closed) {
      return;
    }
    try {
      while (ready()) {
        InstanceUpdate next = queue.pollFirst();
        if (next == null && !coalesced.isEmpty()) {
          var it = coalesced.values().iterator();
          next = it.next();
          it.remove();
        }
        if (next == null) {
          break;
        }
        out.onNext(next);
      }
      if (last != null && queue.isEmpty() && coalesced.isEmpty() && ready()) {
        closed = true;
        out.onNext(last);
        out.onCompleted();
      }
    } catch (RuntimeException e) {
      closed = true; // the client went away
    }
  }

  private boolean ready() {
    return flow == null || flow.isReady();
  }
}
