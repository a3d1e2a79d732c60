package io.sluice.cluster.durable;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The recorded outcome of one function call: its output, or the error it failed with (type,
 * message, whether a retry may help), as the engine's retry and catch rules read them.
 *
 * @param output the function's output (null when it failed)
 * @param errorType the error type (null when it completed)
 * @param errorMessage the error's message
 * @param retryable whether the error allows a retry
 */
public record CallOutcome(
    JsonNode output, String errorType, String errorMessage, boolean retryable) {

  public CallOutcome {
    if ((output == null) == (errorType == null)) {
      throw new IllegalArgumentException("a call outcome is an output or an error, not both");
    }
  }

  public static CallOutcome completed(JsonNode output) {
    return new CallOutcome(Objects.requireNonNull(output, "output"), null, null, false);
  }

  public static CallOutcome failed(String type, String message, boolean retryable) {
    return new CallOutcome(null, type, message == null ? "" : message, retryable);
  }

  public boolean failed() {
    return errorType != null;
  }
}
