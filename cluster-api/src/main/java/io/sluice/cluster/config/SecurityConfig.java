package io.sluice.cluster.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code security:} section (docs/security.md). Absent, or {@code security: none}: {@link
 * #NONE}, a cluster for one machine (no authentication, nothing encrypted, every function allowed;
 * its components listen on loopback only). Any object form turns security on, with the parts it
 * names.
 *
 * @param enabled false for {@code security: none} (or no section)
 * @param tokensFile the file of client tokens the master checks every WorkflowService call and HTTP
 *     {@code /events} and {@code /api} request against (absolute), or empty: clients are not
 *     authenticated by token
 * @param tls mutual TLS between every component, or empty: plaintext
 * @param web the HTTP endpoints' browser sign-in and {@code /metrics} access
 * @param allow what functions may run without the {@code admin} role
 * @param runAs the unprivileged user process functions run as when the worker runs as root (empty:
 *     {@code nobody})
 */
public record SecurityConfig(
    boolean enabled,
    Optional<String> tokensFile,
    Optional<Tls> tls,
    Web web,
    Allow allow,
    Optional<String> runAs) {
  public static final SecurityConfig NONE =
      new SecurityConfig(
          false, Optional.empty(), Optional.empty(), Web.DEFAULT, Allow.ANY, Optional.empty());

  public SecurityConfig {
    tokensFile = tokensFile == null ? Optional.empty() : tokensFile;
    tls = tls == null ? Optional.empty() : tls;
    web = web == null ? Web.DEFAULT : web;
    allow = allow == null ? (enabled ? Allow.NOTHING : Allow.ANY) : allow;
    runAs = runAs == null ? Optional.empty() : runAs;
  }

  /** Security on with only a tokens file (the first cut's form, kept for tests). */
  public SecurityConfig(Optional<String> tokensFile) {
    this(
        tokensFile.isPresent(),
        tokensFile,
        Optional.empty(),
        Web.DEFAULT,
        tokensFile.isPresent() ? Allow.NOTHING : Allow.ANY,
        Optional.empty());
  }

  /**
   * {@code security.tls: {dir: DIR}}: every component's key material in one folder (on each host,
   * that host's files): {@code ca.crt} (the cluster's CA certificate, PEM), and for a component
   * named N ({@code master}, a worker's id, a client's name) {@code N.crt} (its certificate chain,
   * PEM) and {@code N.key} (its private key, PKCS#8 PEM). {@code ca.key} is read only by {@code
   * sluice certs issue}.
   *
   * @param dir the folder, absolute
   */
  public record Tls(String dir) {
    public Path caCertificate() {
      return Path.of(dir, "ca.crt");
    }

    public Path certificate(String component) {
      return Path.of(dir, component + ".crt");
    }

    public Path privateKey(String component) {
      return Path.of(dir, component + ".key");
    }
  }

  /**
   * {@code security.web}: the browser sign-in and {@code /metrics}.
   *
   * @param cookieKeyFile a file holding the key that signs session cookies (absolute; 32+ bytes),
   *     or empty: a random key per master start (sessions end when the master restarts)
   * @param session how long a browser session lasts
   * @param metricsOpen whether {@code /metrics} answers without a token
   */
  public record Web(Optional<String> cookieKeyFile, Duration session, boolean metricsOpen) {
    public static final Web DEFAULT = new Web(Optional.empty(), Duration.ofHours(12), true);
  }

  /**
   * {@code security.allow}: what a workflow registered without the {@code admin} role may use; each
   * entry a glob ({@code *} any run of characters). A workflow registered by an admin may use
   * anything.
   *
   * @param commands process functions' commands (the program, as written in the function settings)
   * @param images container functions' images
   * @param classes java functions' classes
   * @param http URLs http functions may call (scheme://host:port/path)
   * @param cloud cloud functions (AWS Lambda ARNs or names, OpenWhisk actions)
   * @param any true for {@code security: none}: everything allowed
   */
  public record Allow(
      List<String> commands,
      List<String> images,
      List<String> classes,
      List<String> http,
      List<String> cloud,
      boolean any) {
    public static final Allow ANY =
        new Allow(List.of(), List.of(), List.of(), List.of(), List.of(), true);
    public static final Allow NOTHING =
        new Allow(List.of(), List.of(), List.of(), List.of(), List.of(), false);

    public Allow {
      commands = List.copyOf(commands);
      images = List.copyOf(images);
      classes = List.copyOf(classes);
      http = List.copyOf(http);
      cloud = List.copyOf(cloud);
    }
  }
}
