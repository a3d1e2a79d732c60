package io.sluice.master.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.master.UnknownEntityException;
import io.sluice.master.deploy.DeploymentException;
import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The one place where the master turns exceptions into gRPC statuses: bad input is
 * INVALID_ARGUMENT (definition problems listed as {@code FILE:LINE: node: message}), unknown
 * workflows and instances NOT_FOUND, a cluster without live workers FAILED_PRECONDITION, workers
 * that do not answer UNAVAILABLE, anything else INTERNAL.
 */
public final class ErrorStatus {
  private ErrorStatus() {}

  public static StatusRuntimeException of(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof StatusRuntimeException s) {
      return s;
    }
    Status status;
    if (c instanceof DefinitionException d) {
      status = Status.INVALID_ARGUMENT.withDescription(d.problems().stream()
          .map(Problem::toString).collect(Collectors.joining("\n")));
    } else if (c instanceof IllegalArgumentException) {
      status = Status.INVALID_ARGUMENT.withDescription(c.getMessage());
    } else if (c instanceof UnknownEntityException) {
      status = Status.NOT_FOUND.withDescription(c.getMessage());
    } else if (c instanceof DeploymentException) {
      status = Status.UNAVAILABLE.withDescription(c.getMessage());
    } else if (c instanceof IllegalStateException) {
      status = Status.FAILED_PRECONDITION.withDescription(c.getMessage());
    } else {
      status = Status.INTERNAL.withDescription(
          c.getClass().getSimpleName() + ": " + c.getMessage()).withCause(c);
    }
    return status.asRuntimeException();
  }
}
