package io.sluice.runtime.http;

import java.util.Arrays;
import java.util.List;

/**
 * A serverless platform's documented conventions for calling its functions over HTTP, applied by
 * {@code preset:}. What each sets (docs/runtimes.md lists the same):
 *
 * <ul>
 *   <li>{@code knative}: {@code url} is the Knative Service's URL as is; the default format is
 *       {@code cloudevents-binary} (what Knative Eventing delivers to its subscribers); a reply
 *       without a body (202/204) is {@code null}.
 *   <li>{@code openfaas}: {@code url} is the gateway's base URL; calls go to {@code /function/NAME}
 *       (the gateway's synchronous route; NAME from {@code functionName}, default the function's
 *       own name); format {@code json}; the token is a Bearer token.
 *   <li>{@code gcf}: {@code url} is the function's URL as is (Cloud Run functions, or Google's
 *       functions framework anywhere); {@code signatureType: http} (default) sends JSON, {@code
 *       cloudevent} sends a CloudEvent (binary by default, or structured); a 204 is {@code null}
 *       and, for a CloudEvent function, a 2xx body that is not JSON is its text (the framework
 *       sends a returned string as text); the token is a Bearer (identity) token.
 *   <li>{@code azure}: {@code url} is the function app's base URL; calls go to {@code
 *       /ROUTE_PREFIX/NAME} ({@code routePrefix}, default {@code api}, as host.json's {@code
 *       extensions.http.routePrefix}; NAME from {@code functionName}); format {@code json}; the
 *       token is the function key, sent as {@code x-functions-key}.
 * </ul>
 */
enum Preset {
  NONE("none"),
  KNATIVE("knative"),
  OPENFAAS("openfaas"),
  GCF("gcf"),
  AZURE("azure");

  final String setting;

  Preset(String setting) {
    this.setting = setting;
  }

  static Preset of(String setting) {
    for (Preset p : values()) {
      if (p != NONE && p.setting.equals(setting)) {
        return p;
      }
    }
    return null;
  }

  static List<String> names() {
    return Arrays.stream(values()).filter(p -> p != NONE).map(p -> p.setting).toList();
  }

  /** Whether {@code url} is a base the preset adds the function's path to. */
  boolean buildsPath() {
    return this == OPENFAAS || this == AZURE;
  }

  /** The path added to the base URL for function {@code name} ({@code routePrefix}: azure). */
  String path(String name, String routePrefix) {
    return switch (this) {
      case OPENFAAS -> "/function/" + name;
      case AZURE -> (routePrefix.isEmpty() ? "" : "/" + routePrefix) + "/" + name;
      default -> "";
    };
  }

  /** The header the token goes in; {@code Authorization} takes it as {@code Bearer TOKEN}. */
  String authHeader() {
    return this == AZURE ? "x-functions-key" : "Authorization";
  }

  /** The format when none is set ({@code cloudEventFunction}: gcf's signatureType cloudevent). */
  Format defaultFormat(boolean cloudEventFunction) {
    if (this == KNATIVE || (this == GCF && cloudEventFunction)) {
      return Format.CLOUDEVENTS_BINARY;
    }
    return Format.JSON;
  }
}
