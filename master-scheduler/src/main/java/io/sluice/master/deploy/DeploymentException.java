package io.sluice.master.deploy;

/** A worker refused or did not answer a deployment (UNAVAILABLE on the wire: try again). */
public final class DeploymentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeploymentException(String message) {
    super(message);
  }
}
