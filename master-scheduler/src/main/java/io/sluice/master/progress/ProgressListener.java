package io.sluice.master.progress;

import io.sluice.proto.HistoryEvent;
import io.sluice.proto.NodeRun;

/**
 * Hears an instance's steps as the master records them, in order (a WatchInstance subscriber).
 * Called with the instance's progress locked, on the thread that recorded the step (often a gRPC
 * handler's): it must only enqueue.
 */
public interface ProgressListener {
  /**
   * One step: {@code node} is the node's row after it (null for instance-level steps such as {@code
   * event.received}).
   */
  void step(NodeRun node, HistoryEvent step);
}
