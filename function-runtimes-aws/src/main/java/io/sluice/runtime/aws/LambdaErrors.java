package io.sluice.runtime.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.FunctionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What a failed Lambda invocation becomes, so that {@code retryOn} and {@code catch} match on AWS's
 * own names: a function error ({@code X-Amz-Function-Error}) takes the function's {@code errorType}
 * ({@code Error}, {@code ZeroDivisionError}, {@code Runtime.ExitError}, {@code
 * Sandbox.Timedout}...); an error of the Invoke API takes the exception's name ({@code
 * TooManyRequestsException}, {@code ResourceNotFoundException}...). Throttling, 5xx and a function
 * being updated are retryable; other refusals are not.
 */
public final class LambdaErrors {
  private LambdaErrors() {}

  /** The input is over Lambda's payload limit for the invocation type (checked before the call). */
  public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";

  /** Lambda's name for throttling (HTTP 429): retryable. */
  public static final String TOO_MANY_REQUESTS = "TooManyRequestsException";

  /** Lambda's 409 errors that pass: the function is being updated or its snapshot prepared. */
  private static final Set<String> RETRYABLE_4XX =
      Set.of(
          "ResourceConflictException",
          "SnapStartNotReadyException",
          "ExpiredTokenException",
          TOO_MANY_REQUESTS);

  /** An {@code errorType} usable as a Sluice error type. */
  private static final Pattern TYPE = Pattern.compile("[\\w.:$\\-]{1,200}");

  /**
   * The failure of an invocation Lambda answered with {@code X-Amz-Function-Error}: its payload is
   * {@code {errorType, errorMessage, trace | stackTrace}} (Node.js, Python, Java runtimes).
   * Retryable: whether to retry is the node's {@code retryOn}'s choice.
   */
  static FunctionException functionError(String what, String functionError, byte[] payload) {
    JsonNode p = parse(payload);
    String errorType = p == null ? null : text(p.get("errorType"));
    String errorMessage = p == null ? null : text(p.get("errorMessage"));
    String type =
        errorType != null && TYPE.matcher(errorType).matches()
            ? errorType
            : FunctionException.FUNCTION_FAILED;
    StringBuilder m =
        new StringBuilder(what).append(": the function failed (").append(functionError);
    m.append("): ").append(errorType == null ? "no errorType" : errorType);
    if (errorMessage != null) {
      m.append(": ").append(excerpt(errorMessage));
    } else if (p == null) {
      m.append("; payload began: ").append(excerpt(new String(payload, StandardCharsets.UTF_8)));
    }
    String where = p == null ? null : firstFrame(p);
    if (where != null) {
      m.append(" (").append(excerpt(where)).append(')');
    }
    return new FunctionException(type, m.toString(), true);
  }

  /** The failure of a call that did not get a response: an AWS error, or none reached. */
  static FunctionException of(String what, String target, Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof FunctionException f) {
      return f;
    }
    if (c instanceof AwsServiceException e) {
      String code =
          e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
              ? e.getClass().getSimpleName()
              : e.awsErrorDetails().errorCode();
      int status = e.statusCode();
      if (code.equals("RequestTooLargeException") || status == 413) {
        return new FunctionException(
            PAYLOAD_TOO_LARGE, what + ": Lambda refused the payload: " + detail(e), false);
      }
      boolean retryable = status >= 500 || status == 429 || RETRYABLE_4XX.contains(code);
      return new FunctionException(
          code,
          what + ": Lambda answered HTTP " + status + " " + code + ": " + detail(e),
          retryable,
          e);
    }
    if (c instanceof ApiCallTimeoutException
        || c instanceof ApiCallAttemptTimeoutException
        || hasCause(c, TimeoutException.class)
        || hasCause(c, io.netty.handler.timeout.ReadTimeoutException.class)) {
      return new FunctionException(
          FunctionException.TIMEOUT, what + ": no answer from " + target + " in time", true, c);
    }
    if (c instanceof CancellationException) {
      return new FunctionException(
          FunctionException.FUNCTION_FAILED, what + ": the call was cancelled", true, c);
    }
    String msg = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    if (c instanceof SdkClientException) {
      return new FunctionException(
          FunctionException.FUNCTION_FAILED,
          what + ": cannot reach Lambda at " + target + ": " + msg,
          true,
          c);
    }
    return new FunctionException(FunctionException.FUNCTION_FAILED, what + ": " + msg, true, c);
  }

  private static String detail(AwsServiceException e) {
    String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return excerpt(m == null || m.isBlank() ? String.valueOf(e.getMessage()) : m);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String firstFrame(JsonNode p) {
    JsonNode trace = p.has("trace") ? p.get("trace") : p.get("stackTrace");
    if (trace == null) {
      return null;
    }
    if (trace.isArray()) {
      // Node.js: ["Error: msg", "    at handler (file:line)", ...]; Python, Java: frames
      String first = null;
      for (JsonNode line : trace) {
        String s = line.isTextual() ? line.asText().strip() : line.toString();
        if (s.startsWith("at ")) {
          return s;
        }
        first = first == null ? s : first;
      }
      return p.has("trace") ? null : first; // Node's first line repeats the message
    }
    return trace.isTextual() ? trace.asText().lines().skip(1).findFirst().orElse(null) : null;
  }

  private static JsonNode parse(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return null;
    }
    try {
      JsonNode n = LambdaFunctionRuntime.JSON.readTree(payload);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
  }

  static String excerpt(String s) {
    String one = s.strip();
    return one.length() <= 500 ? one : one.substring(0, 500) + "...";
  }
}
