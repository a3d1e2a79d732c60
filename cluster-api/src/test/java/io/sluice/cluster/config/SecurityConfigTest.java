package io.sluice.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.security.TokenFile;
import io.sluice.cluster.security.TokenHash;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code security:} section and the tokens file's lines. */
class SecurityConfigTest {
  private static final String BASE =
      """
      name: t
      master: {host: 127.0.0.1, grpcPort: 7400, httpPort: 7480}
      workers:
        - {id: w1, host: 127.0.0.1, grpcPort: 7401, httpPort: 7481}
      """;

  @Test
  void tokensIsAFileFromTheConfigsFolderAndAbsentMeansOff() {
    assertThat(ClusterConfig.parse("c.yaml", BASE, Map.of()).security().tokensFile()).isEmpty();
    ClusterConfig c =
        ClusterConfig.parse(
            "/etc/sluice/c.yaml", BASE + "security: {tokens: tokens.txt}\n", Map.of());
    assertThat(c.security().tokensFile()).contains(Path.of("/etc/sluice/tokens.txt").toString());
  }

  @Test
  void theFullFormNamesTlsWebAllowListsAndRunAs() {
    ClusterConfig c =
        ClusterConfig.parse(
            "/etc/sluice/c.yaml",
            BASE
                + """
                security:
                  tls: {dir: certs}
                  web: {session: 2h, metrics: token, cookieKey: cookie.key}
                  allow: {commands: [/usr/bin/python3], http: 'https://api.example.com/*'}
                  runAs: sluice-fn
                """,
            Map.of());
    SecurityConfig s = c.security();
    assertThat(s.enabled()).isTrue();
    assertThat(s.tls().orElseThrow().caCertificate())
        .isEqualTo(Path.of("/etc/sluice/certs/ca.crt"));
    assertThat(s.tls().orElseThrow().privateKey("w1"))
        .isEqualTo(Path.of("/etc/sluice/certs/w1.key"));
    assertThat(s.web().metricsOpen()).isFalse();
    assertThat(s.web().session()).hasHours(2);
    assertThat(s.web().cookieKeyFile()).contains("/etc/sluice/cookie.key");
    assertThat(s.allow().commands()).containsExactly("/usr/bin/python3");
    assertThat(s.allow().http()).containsExactly("https://api.example.com/*");
    assertThat(s.allow().images()).isEmpty();
    assertThat(s.allow().any()).isFalse();
    assertThat(s.runAs()).contains("sluice-fn");
    // none, spelled out or by leaving the section out: off, everything allowed
    SecurityConfig none =
        ClusterConfig.parse("c.yaml", BASE + "security: none\n", Map.of()).security();
    assertThat(none.enabled()).isFalse();
    assertThat(none.allow().any()).isTrue();
    assertThatThrownBy(() -> ClusterConfig.parse("c.yaml", BASE + "security: off\n", Map.of()))
        .hasMessageContaining("'security' must be none or a mapping");
    assertThatThrownBy(
            () ->
                ClusterConfig.parse("c.yaml", BASE + "security: {web: {metrics: no}}\n", Map.of()))
        .hasMessageContaining("must be open or token");
  }

  @Test
  void unknownKeysAreRefused() {
    assertThatThrownBy(
            () -> ClusterConfig.parse("c.yaml", BASE + "security: {token: t}\n", Map.of()))
        .isInstanceOf(ClusterConfigException.class)
        .hasMessageContaining("token");
  }

  @Test
  void tokenLinesAreNameRoleHashWithComments() {
    List<TokenFile.Entry> e =
        TokenFile.parse(
            "f", List.of("# clients", "", "ci operate " + TokenHash.of("x") + "  # bot"));
    assertThat(e).singleElement().satisfies(x -> assertThat(x.name()).isEqualTo("ci"));
    assertThatThrownBy(() -> TokenFile.parse("f", List.of("ci operate deadbeef")))
        .hasMessage("f:1: hash must be sha256: and 64 hex digits (sluice token hash prints it)");
    assertThatThrownBy(() -> TokenFile.parse("f", List.of("ci operate")))
        .hasMessage("f:1: expected NAME ROLE sha256:HEX, got 2 fields");
    assertThat(TokenHash.of("abc"))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
