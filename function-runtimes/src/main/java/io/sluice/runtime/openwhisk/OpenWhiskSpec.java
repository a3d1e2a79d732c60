package io.sluice.runtime.openwhisk;

import io.sluice.model.FunctionDef;
import io.sluice.runtime.internal.Settings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where an {@code openwhisk} function's action lives and how the worker authenticates, read from
 * its settings.
 *
 * @param apiHost the controller's base URI, e.g. {@code https://openwhisk.example.com}
 * @param namespace the action's namespace; {@code _} is the key's own default namespace
 * @param action the action's path within the namespace: {@code name} or {@code package/name}
 * @param authEnv the worker's environment variable holding the {@code UUID:KEY} API key, or null
 * @param authFile the worker's file holding the API key, or null
 */
record OpenWhiskSpec(URI apiHost, String namespace, String action, String authEnv, Path authFile) {

  /** The default namespace of the key's subject. */
  static final String DEFAULT_NAMESPACE = "_";

  /** OpenWhisk's entity names: letters, digits, {@code _ @ . -} and inner spaces. */
  private static final Pattern NAME = Pattern.compile("[\\w@.\\-]([\\w@ .\\-]*[\\w@.\\-])?");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Reads the settings; throws {@link IllegalArgumentException} naming the wrong setting. */
  static OpenWhiskSpec of(FunctionDef f) {
    URI host = apiHost(f);
    String action = Settings.text(f, "action");
    if (action == null) {
      throw Settings.bad(
          f, "action", "is required: the action to invoke, e.g. hello or mypackage/hello");
    }
    String namespace = Settings.text(f, "namespace");
    List<String> parts = new ArrayList<>(List.of(action.split("/", -1)));
    if (action.startsWith("/")) {
      // fully qualified: /namespace/name or /namespace/package/name
      parts.remove(0);
      if (parts.size() < 2) {
        throw Settings.bad(
            f,
            "action",
            "is a fully qualified name without an action: write /namespace/name or"
                + " /namespace/package/name, got "
                + action);
      }
      String own = parts.remove(0);
      if (namespace != null && !namespace.equals(own)) {
        throw Settings.bad(
            f,
            "namespace",
            "is '" + namespace + "' but setting 'action' names namespace '" + own + "'");
      }
      namespace = own;
    }
    if (parts.size() > 2) {
      throw Settings.bad(
          f, "action", "must be name or package/name (at most one package), got " + action);
    }
    for (String p : parts) {
      if (!NAME.matcher(p).matches()) {
        throw Settings.bad(
            f,
            "action",
            "has an invalid name part '"
                + p
                + "' (letters, digits, _ @ . - and inner spaces), got "
                + action);
      }
    }
    if (namespace == null) {
      namespace = DEFAULT_NAMESPACE;
    } else if (!namespace.equals(DEFAULT_NAMESPACE) && !NAME.matcher(namespace).matches()) {
      throw Settings.bad(f, "namespace", "is not a valid OpenWhisk namespace: " + namespace);
    }
    String authEnv = Settings.text(f, "authEnv");
    String authFile = Settings.text(f, "authFile");
    if ((authEnv == null) == (authFile == null)) {
      throw Settings.bad(
          f,
          authEnv == null ? "authEnv" : "authFile",
          "or 'authFile' (exactly one) must name where the worker reads the UUID:KEY API key:"
              + " an environment variable (authEnv) or a file (authFile); the key itself never"
              + " goes in the definition");
    }
    if (authEnv != null && !ENV_NAME.matcher(authEnv).matches()) {
      throw Settings.bad(f, "authEnv", "must be an environment variable name, got " + authEnv);
    }
    return new OpenWhiskSpec(
        host,
        namespace,
        String.join("/", parts),
        authEnv,
        authFile == null ? null : Path.of(authFile));
  }

  private static URI apiHost(FunctionDef f) {
    String text = Settings.text(f, "apiHost");
    if (text == null) {
      throw Settings.bad(
          f, "apiHost", "is required: the OpenWhisk API host, e.g. https://openwhisk.example.com");
    }
    String withScheme = text.contains("://") ? text : "https://" + text;
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (java.net.URISyntaxException e) {
      throw Settings.bad(f, "apiHost", "is not a URL: " + text + " (" + e.getReason() + ")");
    }
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw Settings.bad(f, "apiHost", "must be an http or https URL, got " + text);
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw Settings.bad(
          f, "apiHost", "must be a URL with a host and no query or fragment, got " + text);
    }
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  /** {@code POST} target of a blocking invocation that answers with the activation record. */
  URI invokeUri() {
    StringBuilder path = new StringBuilder();
    for (String p : action.split("/")) {
      path.append('/').append(encode(p));
    }
    return URI.create(
        apiHost + "/api/v1/namespaces/" + encode(namespace) + "/actions" + path + "?blocking=true");
  }

  /** {@code GET} target of an activation's response ({@code {result, status, success}}). */
  URI resultUri(String activationId) {
    return URI.create(
        apiHost
            + "/api/v1/namespaces/"
            + encode(namespace)
            + "/activations/"
            + encode(activationId)
            + "/result");
  }

  /** {@code /namespace/package/name}, for messages. */
  String qualifiedName() {
    return "/" + namespace + "/" + action;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
