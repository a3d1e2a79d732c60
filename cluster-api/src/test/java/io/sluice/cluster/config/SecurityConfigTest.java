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
