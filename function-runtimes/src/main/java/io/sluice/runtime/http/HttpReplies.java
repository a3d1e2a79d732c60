package io.sluice.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.runtime.FunctionException;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * What an answer means: the output of a 2xx (JSON as is; for the CloudEvents formats the data of a
 * CloudEvent reply, binary or structured; {@code null} for an empty body), or the typed failure of
 * any other status ({@code Http5xx}, {@code Http429} with its {@code Retry-After}, {@code Http4xx},
 * {@code Http3xx}) or of a body that is not JSON ({@code BadOutput}).
 */
final class HttpReplies {
  private final ObjectMapper json;

  HttpReplies(ObjectMapper json) {
    this.json = json;
  }

  /** The call's output; throws the call's {@link FunctionException}. */
  JsonNode decode(HttpSpec spec, String where, HttpResponse<byte[]> resp) {
    int status = resp.statusCode();
    byte[] body = resp.body() == null ? new byte[0] : resp.body();
    HttpHeaders h = resp.headers();
    if (status >= 200 && status < 300) {
      return output(spec, where, status, body, h);
    }
    String what = where + " answered HTTP " + status + ": " + HttpErrors.excerpt(body);
    if (status == 429 || status >= 500) {
      Duration wait =
          RetryAfter.parse(
              h.firstValue("retry-after").orElse(null), Instant.now(), spec.maxRetryAfter);
      String type = status == 429 ? HttpErrors.HTTP_429 : HttpErrors.HTTP_5XX;
      String after = wait.isZero() ? "" : " (Retry-After: retry in " + wait.toMillis() + " ms)";
      return fail(HttpErrors.of(type, what + after, true, null, wait));
    }
    if (status >= 400) {
      return fail(HttpErrors.of(HttpErrors.HTTP_4XX, what, false));
    }
    if (status >= 300) {
      return fail(
          HttpErrors.of(
              HttpErrors.HTTP_3XX,
              where
                  + " answered HTTP "
                  + status
                  + " (a redirect to "
                  + h.firstValue("location").map(HttpErrors::safe).orElse("nowhere")
                  + "), which is not followed: set url to where the function is",
              false));
    }
    return fail(HttpErrors.of(HttpErrors.HTTP_4XX, what + " (unexpected status)", false));
  }

  private static JsonNode fail(FunctionException e) {
    throw e;
  }

  private JsonNode output(HttpSpec spec, String where, int status, byte[] body, HttpHeaders h) {
    String type = h.firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    if (spec.format.cloudEvents()) {
      if (type.startsWith("application/cloudevents-batch")) {
        throw badOutput(
            where, status, type, body, "a batch of CloudEvents, which is not supported");
      }
      if (type.startsWith(HttpRequests.CE_JSON_TYPE)) {
        return structured(spec, where, status, type, body);
      }
      // binary mode (ce-* headers) or a plain reply: the body is the data either way
    }
    return value(spec, where, status, type, body);
  }

  /** A body as the output: JSON, null when empty, or (gcf CloudEvent functions) its text. */
  private JsonNode value(HttpSpec spec, String where, int status, String type, byte[] body) {
    if (isBlank(body)) {
      return NullNode.getInstance();
    }
    try {
      JsonNode v = json.readTree(body);
      if (v != null && !v.isMissingNode()) {
        return v;
      }
    } catch (IOException notJson) {
      // below
    }
    if (spec.textReplies) {
      return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
    }
    throw badOutput(where, status, type, body, "a body that is not JSON (exactly one value)");
  }

  private JsonNode structured(HttpSpec spec, String where, int status, String type, byte[] body) {
    JsonNode ev;
    try {
      ev = json.readTree(body);
    } catch (IOException e) {
      throw badOutput(where, status, type, body, "a structured CloudEvent that is not JSON");
    }
    if (ev == null || !ev.isObject() || !ev.hasNonNull("specversion")) {
      throw badOutput(where, status, type, body, "a structured CloudEvent without specversion");
    }
    if (ev.has("data")) {
      return ev.get("data");
    }
    JsonNode b64 = ev.get("data_base64");
    if (b64 == null || b64.isNull()) {
      return NullNode.getInstance();
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(b64.asText());
    } catch (IllegalArgumentException e) {
      throw badOutput(where, status, type, body, "a CloudEvent whose data_base64 is not base64");
    }
    String dataType = ev.path("datacontenttype").asText("");
    return value(
        spec, where, status, "data_base64 of " + (dataType.isEmpty() ? "?" : dataType), data);
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static FunctionException badOutput(
      String where, int status, String type, byte[] body, String what) {
    return new FunctionException(
        FunctionException.BAD_OUTPUT,
        where
            + " answered HTTP "
            + status
            + " with "
            + what
            + " (content type "
            + (type.isEmpty() ? "none" : type)
            + "): "
            + HttpErrors.excerpt(body),
        false);
  }
}
