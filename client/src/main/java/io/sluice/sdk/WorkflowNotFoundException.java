package io.sluice.sdk;

/** No workflow with the name (and version) is registered on the master. */
public class WorkflowNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public WorkflowNotFoundException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
