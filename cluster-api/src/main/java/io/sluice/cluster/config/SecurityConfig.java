package io.sluice.cluster.config;

import java.util.Optional;

/**
 * The {@code security:} section (docs/security.md, Client tokens and roles).
 *
 * @param tokensFile the file of client tokens the master checks every WorkflowService call and HTTP
 *     {@code /events} and {@code /api} request against (absolute), or empty: clients are not
 *     authenticated
 */
public record SecurityConfig(Optional<String> tokensFile) {
  public static final SecurityConfig NONE = new SecurityConfig(Optional.empty());

  public SecurityConfig {
    tokensFile = tokensFile == null ? Optional.empty() : tokensFile;
  }
}
