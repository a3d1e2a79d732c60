package io.sluice.cluster.api;

/** A request names an instance, workflow or worker this process does not know (gRPC NOT_FOUND). */
public final class NotFoundException extends ClusterException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(Reason.NOT_FOUND, message);
  }
}
