package io.sluice.cluster.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.format.FieldReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the optional {@code security:} section ({@link SecurityConfig}): absent or {@code none} for
 * {@link SecurityConfig#NONE}, else an object; paths are relative from the config file's folder.
 */
final class SecurityReader {
  static final Set<String> KEYS = Set.of("tokens", "tls", "web", "allow", "runAs");
  private static final String S = "security";
  private final FieldReader fields;
  private final String file;

  SecurityReader(FieldReader fields, String file) {
    this.fields = fields;
    this.file = file;
  }

  /** The section, or null when a problem was recorded. */
  SecurityConfig read(JsonNode root) {
    if (FieldReader.absent(root, S)) {
      return SecurityConfig.NONE;
    }
    JsonNode s = root.get(S);
    if (s.isTextual() && s.asText().equals("none")) {
      return SecurityConfig.NONE;
    }
    if (!s.isObject()) {
      fields.problem(
          root, S, S, "'security' must be none or a mapping (tokens, tls, web, allow, runAs)");
      return null;
    }
    fields.checkKeys(s, KEYS, null, S);
    Optional<String> tokens = path(s, "tokens", S);
    Optional<SecurityConfig.Tls> tls = Optional.empty();
    JsonNode t = fields.object(s, "tls", S, false);
    if (t != null) {
      fields.checkKeys(t, Set.of("dir"), null, S + ".tls");
      tls = path(t, "dir", S + ".tls").map(SecurityConfig.Tls::new);
      if (tls.isEmpty()) {
        fields.problem(
            t, "dir", S, "'security.tls' needs 'dir': the folder of ca.crt, N.crt, N.key");
      }
    }
    SecurityConfig.Web web = SecurityConfig.Web.DEFAULT;
    JsonNode w = fields.object(s, "web", S, false);
    if (w != null) {
      fields.checkKeys(w, Set.of("cookieKey", "session", "metrics"), null, S + ".web");
      Duration session = fields.positiveDuration(w, "session", S, web.session());
      boolean metricsOpen = true;
      String metrics = fields.text(w, "metrics", S, false);
      if (metrics != null) {
        if (!metrics.equals("open") && !metrics.equals("token")) {
          fields.problem(
              w, "metrics", S, "'security.web.metrics' must be open or token, got " + metrics);
        }
        metricsOpen = !metrics.equals("token");
      }
      web =
          new SecurityConfig.Web(
              path(w, "cookieKey", S + ".web"),
              session == null ? web.session() : session,
              metricsOpen);
    }
    SecurityConfig.Allow allow = SecurityConfig.Allow.NOTHING;
    JsonNode a = fields.object(s, "allow", S, false);
    if (a != null) {
      fields.checkKeys(
          a, Set.of("commands", "images", "classes", "http", "cloud"), null, S + ".allow");
      allow =
          new SecurityConfig.Allow(
              list(a, "commands"),
              list(a, "images"),
              list(a, "classes"),
              list(a, "http"),
              list(a, "cloud"),
              false);
    }
    Optional<String> runAs = Optional.ofNullable(fields.text(s, "runAs", S, false));
    return new SecurityConfig(true, tokens, tls, web, allow, runAs);
  }

  private List<String> list(JsonNode a, String key) {
    List<String> l = fields.strings(a, key, S);
    return l == null ? List.of() : l;
  }

  /** A path setting, absolute (relative from the config file's folder). */
  private Optional<String> path(JsonNode obj, String key, String section) {
    String value = fields.text(obj, key, section, false);
    if (value == null) {
      return Optional.empty();
    }
    Path p = Path.of(value);
    if (!p.isAbsolute() && file != null && !file.startsWith("<")) {
      Path parent = Path.of(file).toAbsolutePath().getParent();
      p = parent == null ? p : parent.resolve(p);
    }
    return Optional.of(p.toAbsolutePath().normalize().toString());
  }
}
