package io.sluice.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.internal.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An {@code http} function's settings, read and checked once per definition and kept by the runtime
 * (no per-call parsing): every reader throws {@link IllegalArgumentException} naming the setting.
 * Unknown settings are refused too, so a misspelt one is not silently ignored.
 */
final class HttpSpec {
  /** Every setting an {@code http} function may have. */
  static final Set<String> KEYS =
      Set.of(
          "url",
          "format",
          "preset",
          "method",
          "headers",
          "eventType",
          "eventSource",
          "tokenEnv",
          "tokenFile",
          "httpVersion",
          "timeout",
          "functionName",
          "routePrefix",
          "signatureType",
          "maxRetryAfter");

  static final String DEFAULT_EVENT_TYPE = "io.sluice.function.call";
  static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern METHOD = Pattern.compile("[A-Z]+");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
  private static final Set<String> HTTP_OWNED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "content-type");
  private static final Set<String> CE_OWNED =
      Set.of(
          "ce-specversion", "ce-id", "ce-source", "ce-type", "ce-subject", "ce-time", "ce-attempt");

  /** A request header: its name and its value (literal or jq). */
  record Header(String name, Template value) {}

  final String function;
  final Preset preset;
  final Format format;
  final Template url;
  final String pathSuffix;
  final URI fixedUri;
  final Template method;
  final List<Header> headers;

  /** The {@code headers} setting names {@code Idempotency-Key}: the engine's key is not sent. */
  final boolean setsIdempotencyKey;

  final String eventType;
  final String eventSource;
  final TokenSource token;
  final String authHeader;
  final HttpClient.Version version;
  final Duration timeout;
  final Duration maxRetryAfter;
  final boolean textReplies;
  final boolean hasExpressions;

  private HttpSpec(FunctionDef f) {
    function = f.name();
    JsonNode s = f.settings();
    TreeSet<String> unknown = new TreeSet<>();
    s.fieldNames().forEachRemaining(k -> unknown.add(k));
    unknown.removeAll(KEYS);
    if (unknown.remove("token")) {
      throw Settings.bad(
          f,
          "token",
          "must not be written in the definition: definitions travel to the master and every"
              + " worker and end up in files and logs. Put the token in an environment variable"
              + " (tokenEnv: NAME) or a file (tokenFile: /path) on the workers");
    }
    if (!unknown.isEmpty()) {
      throw Settings.bad(
          f,
          unknown.first(),
          "is not a setting of the http runtime (known: " + new TreeSet<>(KEYS) + ")");
    }
    preset = preset(f);
    boolean cloudEventFunction = signatureType(f);
    format = format(f, cloudEventFunction);
    String name = presetOnly(f, "functionName", Preset.OPENFAAS, Preset.AZURE);
    if (name != null && !SEGMENT.matcher(name).matches()) {
      throw Settings.bad(
          f, "functionName", "must be one path segment ([A-Za-z0-9._~-]), got " + name);
    }
    pathSuffix = preset.path(name == null ? f.name() : name, routePrefix(f));
    url = Template.of(f, "url", required(f, "url"));
    fixedUri = url.isLiteral() ? withPath(checkUrl(f, url.literal()), pathSuffix) : null;
    method = method(f);
    eventType = cloudEventsOnly(f, "eventType");
    eventSource = cloudEventsOnly(f, "eventSource");
    if (eventSource != null) {
      try {
        new URI(eventSource);
      } catch (URISyntaxException e) {
        throw Settings.bad(f, "eventSource", "must be a URI reference, got " + eventSource);
      }
    }
    token = token(f);
    authHeader = token == null ? null : preset.authHeader();
    headers = headers(f);
    version = version(f);
    timeout = Settings.duration(f, "timeout");
    Duration max = Settings.duration(f, "maxRetryAfter");
    maxRetryAfter = max == null ? DEFAULT_MAX_RETRY_AFTER : max;
    textReplies = preset == Preset.GCF && cloudEventFunction;
    boolean exprs = !url.isLiteral() || (method != null && !method.isLiteral());
    for (Header h : headers) {
      exprs |= !h.value().isLiteral();
    }
    hasExpressions = exprs;
    setsIdempotencyKey =
        headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(HttpRequests.IDEMPOTENCY_KEY));
  }

  /** Reads and checks {@code f}'s settings. */
  static HttpSpec of(FunctionDef f) {
    return new HttpSpec(f);
  }

  /** {@code base} with {@code path} added to its path (query kept). */
  static URI withPath(URI base, String path) {
    if (path.isEmpty()) {
      return base;
    }
    String p = base.getRawPath() == null ? "" : base.getRawPath();
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    String q = base.getRawQuery();
    return URI.create(
        base.getScheme() + "://" + base.getRawAuthority() + p + path + (q == null ? "" : "?" + q));
  }

  /**
   * {@code text} as an absolute http(s) URL; throws {@link IllegalArgumentException} saying why
   * not. With a preset that builds the path, the URL must be a base (no path).
   */
  URI checkUrl(String text) {
    return check(text, preset);
  }

  private URI checkUrl(FunctionDef f, String text) {
    try {
      return check(text, preset);
    } catch (IllegalArgumentException e) {
      throw Settings.bad(f, "url", e.getMessage());
    }
  }

  private static URI check(String text, Preset preset) {
    URI u;
    try {
      u = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL: " + e.getMessage());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "must be an absolute http:// or https:// URL, got '" + HttpErrors.safe(text) + "'");
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("has no host: '" + HttpErrors.safe(text) + "'");
    }
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "must not carry credentials (user:password@); use tokenEnv or tokenFile");
    }
    if (u.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "must not have a #fragment: '" + HttpErrors.safe(text) + "'");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    if (preset.buildsPath() && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException(
          "must be the base URL (no path) with preset "
              + preset.setting
              + ", which adds "
              + preset.path("NAME", "api").replace("/api/", "/ROUTE_PREFIX/")
              + "; got path "
              + path);
    }
    return u;
  }

  private static JsonNode required(FunctionDef f, String key) {
    JsonNode v = f.settings().get(key);
    if (v == null || v.isNull()) {
      throw Settings.bad(f, key, "is required: the function's http(s) URL");
    }
    return v;
  }

  private static Preset preset(FunctionDef f) {
    String p = Settings.text(f, "preset");
    if (p == null) {
      return Preset.NONE;
    }
    Preset preset = Preset.of(p);
    if (preset == null) {
      throw Settings.bad(f, "preset", "must be one of " + Preset.names() + ", got " + p);
    }
    return preset;
  }

  private boolean signatureType(FunctionDef f) {
    String sig = presetOnly(f, "signatureType", Preset.GCF);
    if (sig == null || sig.equals("http")) {
      return false;
    }
    if (sig.equals("cloudevent")) {
      return true;
    }
    throw Settings.bad(
        f,
        "signatureType",
        "must be http or cloudevent (legacy background 'event' functions are not supported), got "
            + sig);
  }

  private Format format(FunctionDef f, boolean cloudEventFunction) {
    String text = Settings.text(f, "format");
    if (text == null) {
      return preset.defaultFormat(cloudEventFunction);
    }
    Format fmt = Format.of(text);
    if (fmt == null) {
      throw Settings.bad(f, "format", "must be one of " + Format.names() + ", got " + text);
    }
    if (preset == Preset.GCF && fmt.cloudEvents() != cloudEventFunction) {
      throw Settings.bad(
          f,
          "format",
          "is "
              + text
              + ", but a gcf function with signatureType "
              + (cloudEventFunction
                  ? "cloudevent takes a CloudEvent"
                  : "http (the default) takes JSON")
              + "; set signatureType to match, or leave format out");
    }
    return fmt;
  }

  private String presetOnly(FunctionDef f, String key, Preset... presets) {
    String v = Settings.text(f, key);
    if (v != null && !List.of(presets).contains(preset)) {
      throw Settings.bad(
          f,
          key,
          "applies only with preset "
              + String.join(" or ", List.of(presets).stream().map(p -> p.setting).toList())
              + (preset == Preset.NONE ? " (no preset is set)" : ", not " + preset.setting));
    }
    return v;
  }

  private String routePrefix(FunctionDef f) {
    JsonNode v = f.settings().get("routePrefix");
    if (v == null || v.isNull()) {
      return "api";
    }
    if (preset != Preset.AZURE) {
      throw Settings.bad(f, "routePrefix", "applies only with preset azure");
    }
    String p = v.isTextual() ? v.asText().replaceAll("^/+|/+$", "") : null;
    if (p == null || (!p.isEmpty() && !p.matches("[A-Za-z0-9._~/-]+"))) {
      throw Settings.bad(
          f, "routePrefix", "must be a path such as api, or \"\" for none, got " + v);
    }
    return p;
  }

  private Template method(FunctionDef f) {
    JsonNode v = f.settings().get("method");
    if (v == null || v.isNull()) {
      return null;
    }
    Template t = Template.of(f, "method", v);
    if (t.isLiteral() && !METHOD.matcher(t.literal()).matches()) {
      throw Settings.bad(f, "method", "must be an HTTP method in capitals such as POST, got " + v);
    }
    if (format.cloudEvents() && (!t.isLiteral() || !t.literal().equals("POST"))) {
      throw Settings.bad(
          f, "method", "must be POST (or left out) with format " + format.setting + ", got " + v);
    }
    return t;
  }

  private String cloudEventsOnly(FunctionDef f, String key) {
    String v = Settings.text(f, key);
    if (v != null && !format.cloudEvents()) {
      throw Settings.bad(
          f,
          key,
          "applies only to the CloudEvents formats (cloudevents-binary, cloudevents-structured);"
              + " the format is "
              + format.setting);
    }
    return v;
  }

  private static TokenSource token(FunctionDef f) {
    String env = Settings.text(f, "tokenEnv");
    String file = Settings.text(f, "tokenFile");
    if (env != null && file != null) {
      throw Settings.bad(f, "tokenFile", "conflicts with tokenEnv: give one place for the token");
    }
    if (env != null) {
      if (!ENV_NAME.matcher(env).matches()) {
        throw Settings.bad(
            f, "tokenEnv", "must be an environment variable's name (not the token), got " + env);
      }
      return TokenSource.env(env);
    }
    if (file != null) {
      Path p = Path.of(file);
      if (!p.isAbsolute()) {
        throw Settings.bad(f, "tokenFile", "must be an absolute path on the workers, got " + file);
      }
      return TokenSource.file(p);
    }
    return null;
  }

  private List<Header> headers(FunctionDef f) {
    JsonNode h = f.settings().get("headers");
    if (h == null || h.isNull()) {
      return List.of();
    }
    if (!h.isObject()) {
      throw Settings.bad(f, "headers", "must be a map of header names to values, got " + h);
    }
    List<Header> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : h.properties()) {
      String name = e.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (!TOKEN.matcher(name).matches()) {
        throw Settings.bad(
            f, "headers", "has a name that is not an HTTP header name: '" + name + "'");
      }
      if (HTTP_OWNED.contains(lower)) {
        throw Settings.bad(
            f,
            "headers",
            "must not set "
                + name
                + ": the runtime sets it"
                + (lower.equals("content-type") ? " from format" : " (HTTP framing)"));
      }
      if (format.cloudEvents() && CE_OWNED.contains(lower)) {
        throw Settings.bad(
            f,
            "headers",
            "must not set "
                + name
                + ": the runtime sets the event's attributes (eventType, eventSource)");
      }
      if (authHeader != null && lower.equals(authHeader.toLowerCase(Locale.ROOT))) {
        throw Settings.bad(
            f,
            "headers",
            "sets "
                + name
                + ", which conflicts with "
                + token.describe()
                + " (the token goes in that header)");
      }
      Template value = Template.of(f, "headers." + name, e.getValue());
      if (value.isLiteral() && value.literal().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw Settings.bad(f, "headers", "has a control character (a line break?) in " + name);
      }
      out.add(new Header(name, value));
    }
    return List.copyOf(out);
  }

  private static HttpClient.Version version(FunctionDef f) {
    String v = Settings.text(f, "httpVersion");
    if (v == null || v.equals("HTTP_1_1")) {
      return HttpClient.Version.HTTP_1_1;
    }
    if (v.equals("HTTP_2")) {
      return HttpClient.Version.HTTP_2;
    }
    throw Settings.bad(f, "httpVersion", "must be HTTP_1_1 or HTTP_2, got " + v);
  }
}
