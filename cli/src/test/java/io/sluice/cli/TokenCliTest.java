package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.security.TokenHash;
import io.sluice.master.MasterProcess;
import io.sluice.testing.IntegrationTest;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice token} and client commands against a master that checks tokens: the token from
 * {@code SLUICE_TOKEN_FILE} or {@code --token-file}; without one, or with too small a role, exit 2
 * and one line.
 */
@IntegrationTest // starts a master
class TokenCliTest {
  @TempDir Path dir;

  @AfterEach
  void restore() {
    MasterAddress.environment = System::getenv;
    TokenCommand.stdin = () -> System.in;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void tokenNewPrintsATokenAndTheLineThatHashesIt() {
    CliTest.Result r = sluice("token", "new", "ci-bot", "operate");
    assertThat(r.exit()).isZero();
    String token = r.out().strip();
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(r.err().strip()).isEqualTo("ci-bot operate " + TokenHash.of(token));

    TokenCommand.stdin =
        () -> new ByteArrayInputStream((token + "\n").getBytes(StandardCharsets.UTF_8));
    CliTest.Result h = sluice("token", "hash");
    assertThat(h.exit()).isZero();
    assertThat(h.out().strip()).isEqualTo(TokenHash.of(token));

    assertThat(sluice("token", "new", "x", "root").exit()).isEqualTo(2);
  }

  @Test
  void clientCommandsSendTheTokenFromTheFileAndAreRefusedWithoutIt() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(
        tokens,
        "adm admin " + TokenHash.of("t-adm") + "\nsub submit " + TokenHash.of("t-sub") + "\n");
    Path admFile = dir.resolve("adm.token");
    Files.writeString(admFile, "t-adm\n");
    Path subFile = dir.resolve("sub.token");
    Files.writeString(subFile, "t-sub");
    String yaml =
        "name: tok\nmaster: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nsecurity: {tokens: "
            + tokens
            + "}\nworkers:\n  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    try (MasterProcess master =
        MasterProcess.start(ClusterConfig.parse("tok.yaml", yaml, Map.of()))) {
      String at = master.address();

      MasterAddress.environment = name -> null;
      CliTest.Result none = sluice("list", "workflows", "--master", at);
      assertThat(none.exit()).isEqualTo(2);
      assertThat(none.err().strip())
          .isEqualTo(
              "sluice: the master at "
                  + at
                  + " refused the call (UNAUTHENTICATED): missing or unknown token (send"
                  + " authorization: Bearer TOKEN; see docs/security.md)");

      MasterAddress.environment =
          name -> name.equals(MasterAddress.ENV_TOKEN_FILE) ? admFile.toString() : null;
      CliTest.Result withEnv = sluice("list", "workflows", "--master", at);
      assertThat(withEnv.exit()).as(withEnv.err()).isZero();

      CliTest.Result small =
          sluice("drain", "w1", "--master", at, "--token-file", subFile.toString());
      assertThat(small.exit()).isEqualTo(2);
      assertThat(small.err().strip())
          .isEqualTo(
              "sluice: the master at "
                  + at
                  + " refused the call (PERMISSION_DENIED): DrainWorker needs role admin; sub has"
                  + " role submit");
      assertThat(small.err().strip()).doesNotContain("\n");

      CliTest.Result missing =
          sluice("list", "workflows", "--master", at, "--token-file", dir.resolve("no").toString());
      assertThat(missing.exit()).isEqualTo(2);
      assertThat(missing.err()).contains("cannot read the token file");
      System.out.printf(
          "CLI matrix: no token -> exit %d; SLUICE_TOKEN_FILE admin -> exit %d; --token-file"
              + " submit drain -> exit %d; missing file -> exit %d%n",
          none.exit(), withEnv.exit(), small.exit(), missing.exit());
    }
  }
}
