package io.sluice.runtime.openwhisk;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.FunctionException;
import java.nio.charset.StandardCharsets;

/**
 * The error types of the {@code openwhisk} runtime, so that {@code retryOn} and {@code catch} can
 * match on them. An activation that ran and failed keeps OpenWhisk's activation status as its type
 * ({@link #APPLICATION_ERROR}, {@link #DEVELOPER_ERROR}, {@link #WHISK_INTERNAL_ERROR}); a request
 * the controller refused is typed by its HTTP status.
 */
public final class OpenWhiskErrors {
  private OpenWhiskErrors() {}

  /** The action ran and returned {@code {"error": ...}} (status {@code application error}). */
  public static final String APPLICATION_ERROR = "ApplicationError";

  /**
   * The action failed to initialise or to produce a valid result: it crashed, ran past its own time
   * limit, exhausted its memory (status {@code action developer error}).
   */
  public static final String DEVELOPER_ERROR = "DeveloperError";

  /** OpenWhisk itself failed (status {@code whisk internal error}, or an HTTP 500). */
  public static final String WHISK_INTERNAL_ERROR = "WhiskInternalError";

  /** HTTP 429: the namespace's invocation rate or concurrency limit was reached. */
  public static final String THROTTLED = "Throttled";

  /** HTTP 503: the controller has no invoker to run the action now. */
  public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

  /** HTTP 401: the API key is not known. */
  public static final String UNAUTHORIZED = "Unauthorized";

  /** HTTP 403: the key's subject may not invoke the action. */
  public static final String FORBIDDEN = "Forbidden";

  /** HTTP 404: no such action (or namespace). */
  public static final String NOT_FOUND = "NotFound";

  /** HTTP 413: the input is larger than the controller accepts (1 MB by default). */
  public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";

  /** HTTP 400 and other 4xx: the controller refused the request. */
  public static final String BAD_REQUEST = "BadRequest";

  /** The input is not a JSON object: OpenWhisk actions take an object of parameters. */
  public static final String BAD_INPUT = "BadInput";

  /**
   * The failure of an activation whose response says it did not succeed, or null when it did.
   *
   * @param response the activation's {@code response}: {@code {status, success, result}}
   */
  static FunctionException ofActivation(String what, JsonNode response) {
    String status = status(response);
    if (status.equals("success")) {
      return null;
    }
    String type =
        switch (status) {
          case "application error" -> APPLICATION_ERROR;
          case "action developer error" -> DEVELOPER_ERROR;
          default -> WHISK_INTERNAL_ERROR;
        };
    JsonNode error = response.path("result").path("error");
    String detail =
        error.isMissingNode() ? excerpt(response.path("result").toString()) : text(error);
    return new FunctionException(type, what + ": " + status + ": " + detail, true);
  }

  /**
   * OpenWhisk's status of an activation response: {@code success}, {@code application error},
   * {@code action developer error} or {@code whisk internal error}; from its {@code status}, its
   * numeric {@code statusCode} (0-3) or its {@code success} flag.
   */
  static String status(JsonNode response) {
    JsonNode s = response.get("status");
    if (s != null && s.isTextual()) {
      return s.asText().replace('_', ' ');
    }
    JsonNode code = response.get("statusCode");
    if (code != null && code.isInt()) {
      return switch (code.asInt()) {
        case 0 -> "success";
        case 1 -> "application error";
        case 2 -> "action developer error";
        default -> "whisk internal error";
      };
    }
    return response.path("success").asBoolean(false) ? "success" : "whisk internal error";
  }

  /** The failure of a request the controller answered with {@code status} and no activation. */
  static FunctionException ofHttp(String what, int status, byte[] body) {
    String type;
    boolean retryable;
    switch (status) {
      case 401 -> {
        type = UNAUTHORIZED;
        retryable = false;
      }
      case 403 -> {
        type = FORBIDDEN;
        retryable = false;
      }
      case 404 -> {
        type = NOT_FOUND;
        retryable = false;
      }
      case 413 -> {
        type = PAYLOAD_TOO_LARGE;
        retryable = false;
      }
      case 429 -> {
        type = THROTTLED;
        retryable = true;
      }
      case 503 -> {
        type = SERVICE_UNAVAILABLE;
        retryable = true;
      }
      default -> {
        type = status >= 500 ? WHISK_INTERNAL_ERROR : BAD_REQUEST;
        retryable = status >= 500;
      }
    }
    return new FunctionException(
        type, what + ": the controller answered HTTP " + status + ": " + message(body), retryable);
  }

  /**
   * The controller's {@code {"error": "...", "code": "..."}} message, or an excerpt of the body.
   */
  static String message(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8);
    try {
      JsonNode json = OpenWhiskFunctionRuntime.JSON.readTree(body);
      if (json != null && json.has("error")) {
        String m = text(json.get("error"));
        return json.hasNonNull("code") ? m + " (code " + json.get("code").asText() + ")" : m;
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not JSON: show the start of the body
    }
    return text.isBlank() ? "(empty body)" : excerpt(text);
  }

  private static String text(JsonNode error) {
    return excerpt(error.isTextual() ? error.asText() : error.toString());
  }

  static String excerpt(String s) {
    String one = s.strip();
    return one.length() <= 500 ? one : one.substring(0, 500) + "...";
  }

  /** A body that was not what the protocol promises. */
  static FunctionException badOutput(String what, String problem, byte[] body) {
    String start = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return new FunctionException(
        FunctionException.BAD_OUTPUT,
        what + ": " + problem + (start.isBlank() ? "" : "; the body began: " + start.strip()),
        false);
  }
}
