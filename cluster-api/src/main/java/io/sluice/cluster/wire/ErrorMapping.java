package io.sluice.cluster.wire;

import io.sluice.cluster.api.InstanceError;
import io.sluice.proto.ErrorInfo;
import io.sluice.runtime.FunctionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Errors between {@link ErrorInfo} and the engine's and runtimes' error types. */
final class ErrorMapping {
  private ErrorMapping() {}

  static ErrorInfo errorInfo(InstanceError e, String workerId) {
    return ErrorInfo.newBuilder()
        .setType(orEmpty(e.type()))
        .setMessage(orEmpty(e.message()))
        .setNodeId(orEmpty(e.nodeId()))
        .setWorkerId(orEmpty(workerId))
        .build();
  }

  static InstanceError instanceError(ErrorInfo e) {
    if (e.getType().isEmpty()) {
      throw new IllegalArgumentException(
          "error.type is missing (error " + WireMapper.shortText(e) + ")");
    }
    return new InstanceError(
        e.getNodeId().isEmpty() ? null : e.getNodeId(), e.getType(), e.getMessage());
  }

  static ErrorInfo errorInfo(Throwable failure, String nodeId, String workerId) {
    FunctionException f = FunctionException.of(failure);
    return ErrorInfo.newBuilder()
        .setType(orEmpty(f.type()))
        .setMessage(orEmpty(f.getMessage()))
        .setNodeId(orEmpty(nodeId))
        .setWorkerId(orEmpty(workerId))
        .setRetryable(f.retryable())
        .build();
  }

  static FunctionException functionException(ErrorInfo e) {
    if (e.getType().isEmpty()) {
      throw new IllegalArgumentException(
          "error.type is missing (error " + WireMapper.shortText(e) + ")");
    }
    String where = e.getWorkerId().isEmpty() ? "" : " (on worker " + e.getWorkerId() + ")";
    return new FunctionException(e.getType(), e.getMessage() + where, e.getRetryable());
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
