package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import io.sluice.cluster.security.TokenHash;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice certs init|issue}: the files a cluster config names, their modes, the certificates'
 * subjects and issuer, the admin token, the export lines, and one-line refusals with exit 2.
 */
class CertsCliTest {
  @TempDir Path tmp;

  /** A copy of cluster-config/local-3-secure.yaml in the temp folder (its paths are relative). */
  private Path secureConfig() throws Exception {
    Path f = tmp.resolve("conf/local-3-secure.yaml");
    Files.createDirectories(f.getParent());
    Files.copy(CliTest.ROOT.resolve("cluster-config/local-3-secure.yaml"), f);
    return f;
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** The export lines, as NAME → VALUE. */
  private static Map<String, String> exports(String out) {
    Map<String, String> m = new TreeMap<>();
    for (String line : out.strip().split("\n")) {
      assertThat(line).startsWith("export ");
      String kv = line.substring("export ".length());
      m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return m;
  }

  private static CertificateAuthority.Identity identity(Path crt) {
    return CertificateAuthority.identityOf(Pem.readCertificates(crt).get(0));
  }

  @Test
  void initWithAConfigWritesEveryComponentsFilesTheAdminTokenAndTheExports() throws Exception {
    Path config = secureConfig();
    CliTest.Result r = sluice("certs", "init", "--config", config.toString(), "--days", "30");
    assertThat(r.exit()).as(r.err()).isZero();
    Path secrets = config.getParent().resolve("secrets");
    Path tls = secrets.resolve("tls");
    assertThat(mode(secrets)).isEqualTo("rwx------");
    assertThat(mode(tls)).isEqualTo("rwx------");
    for (String n : List.of("ca", "master", "w1", "w2", "w3", "admin")) {
      assertThat(mode(tls.resolve(n + ".key"))).as(n).isEqualTo("rw-------");
      assertThat(tls.resolve(n + ".crt")).isRegularFile();
      assertThat(r.err()).contains(n + ".crt, " + n + ".key");
    }
    X509Certificate ca = Pem.readCertificates(tls.resolve("ca.crt")).get(0);
    for (String w : List.of("w1", "w2", "w3")) {
      X509Certificate c = Pem.readCertificates(tls.resolve(w + ".crt")).get(0);
      c.verify(ca.getPublicKey());
      assertThat(identity(tls.resolve(w + ".crt")))
          .isEqualTo(
              new CertificateAuthority.Identity(
                  w, CertificateAuthority.Kind.WORKER, Optional.empty()));
      assertThat(c.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
          .contains("127.0.0.1");
      assertThat(c.getNotAfter().getTime() - c.getNotBefore().getTime())
          .isLessThan(31L * 24 * 3600 * 1000);
    }
    assertThat(identity(tls.resolve("master.crt")).kind())
        .isEqualTo(CertificateAuthority.Kind.MASTER);
    assertThat(identity(tls.resolve("admin.crt")))
        .isEqualTo(
            new CertificateAuthority.Identity(
                "admin", CertificateAuthority.Kind.CLIENT, Optional.of("admin")));

    Path tokenFile = secrets.resolve("admin.token");
    assertThat(mode(tokenFile)).isEqualTo("rw-------");
    assertThat(mode(secrets.resolve("tokens"))).isEqualTo("rw-------");
    String token = Files.readString(tokenFile).strip();
    List<TokenFile.Entry> entries = TokenFile.read(secrets.resolve("tokens"));
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).name()).isEqualTo("admin");
    assertThat(entries.get(0).role()).isEqualTo(Role.ADMIN);
    assertThat(HexFormat.of().formatHex(entries.get(0).hash()))
        .isEqualTo(TokenHash.of(token).substring(TokenHash.PREFIX.length()));

    assertThat(exports(r.out()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "SLUICE_MASTER", "127.0.0.1:17400",
                "SLUICE_CA_FILE", tls.resolve("ca.crt").toString(),
                "SLUICE_CERT_FILE", tls.resolve("admin.crt").toString(),
                "SLUICE_KEY_FILE", tls.resolve("admin.key").toString(),
                "SLUICE_TOKEN_FILE", tokenFile.toString()));
  }

  @Test
  void initRefusesToOverwriteWithoutForceAndReplacesTheAdminTokenWithIt() throws Exception {
    Path config = secureConfig();
    assertThat(sluice("certs", "init", "--config", config.toString()).exit()).isZero();
    Path secrets = config.getParent().resolve("secrets");
    String caBefore = Files.readString(secrets.resolve("tls/ca.crt"));
    String tokenBefore = Files.readString(secrets.resolve("admin.token"));
    Files.writeString(
        secrets.resolve("tokens"),
        "ci submit " + TokenHash.of("x") + "\n",
        java.nio.file.StandardOpenOption.APPEND);

    CliTest.Result again = sluice("certs", "init", "--config", config.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.out()).isEmpty();
    assertThat(again.err().strip().lines()).hasSize(1);
    assertThat(again.err()).contains("ca.crt exists; --force replaces it");
    assertThat(Files.readString(secrets.resolve("tls/ca.crt"))).isEqualTo(caBefore);

    CliTest.Result forced = sluice("certs", "init", "--config", config.toString(), "--force");
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(Files.readString(secrets.resolve("tls/ca.crt"))).isNotEqualTo(caBefore);
    assertThat(Files.readString(secrets.resolve("admin.token"))).isNotEqualTo(tokenBefore);
    List<TokenFile.Entry> entries = TokenFile.read(secrets.resolve("tokens"));
    assertThat(entries).extracting(TokenFile.Entry::name).containsExactly("ci", "admin");
  }

  @Test
  void initWithADirOnlyMakesTheCaAndIssueAddsComponentsFromIt() throws Exception {
    Path dir = tmp.resolve("new/tls");
    CliTest.Result init = sluice("certs", "init", "--dir", dir.toString());
    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(exports(init.out())).containsOnlyKeys("SLUICE_CA_FILE");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsOnly("ca.crt", "ca.key");
    }

    CliTest.Result ci =
        sluice(
            "certs",
            "issue",
            "ci",
            "--kind",
            "client",
            "--role",
            "submit",
            "--dir",
            dir.toString());
    assertThat(ci.exit()).as(ci.err()).isZero();
    assertThat(identity(dir.resolve("ci.crt")).role()).contains("submit");
    assertThat(exports(ci.out()))
        .containsEntry("SLUICE_CERT_FILE", dir.resolve("ci.crt").toString())
        .containsEntry("SLUICE_KEY_FILE", dir.resolve("ci.key").toString());

    CliTest.Result w4 =
        sluice(
            "certs",
            "issue",
            "w4",
            "--kind",
            "worker",
            "--host",
            "10.0.0.4",
            "--host",
            "w4.example.org",
            "--dir",
            dir.toString());
    assertThat(w4.exit()).as(w4.err()).isZero();
    assertThat(w4.out()).isEmpty();
    X509Certificate c = Pem.readCertificates(dir.resolve("w4.crt")).get(0);
    c.verify(Pem.readCertificates(dir.resolve("ca.crt")).get(0).getPublicKey());
    assertThat(c.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
        .contains("10.0.0.4", "w4.example.org");

    CliTest.Result twice =
        sluice("certs", "issue", "w4", "--kind", "worker", "--host", "h", "--dir", dir.toString());
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("w4.crt exists");
    assertThat(
            sluice(
                    "certs",
                    "issue",
                    "w4",
                    "--kind",
                    "worker",
                    "--host",
                    "h",
                    "--dir",
                    dir.toString(),
                    "--force")
                .exit())
        .isZero();
  }

  @Test
  void issueWithTheConfigTakesKindAndHostFromIt() throws Exception {
    Path config = secureConfig();
    assertThat(sluice("certs", "init", "--config", config.toString()).exit()).isZero();
    CliTest.Result r = sluice("certs", "issue", "w2", "--config", config.toString(), "--force");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("w2.crt, ").contains("worker, hosts 127.0.0.1");
    assertThat(identity(config.getParent().resolve("secrets/tls/w2.crt")).kind())
        .isEqualTo(CertificateAuthority.Kind.WORKER);
  }

  @Test
  void mistakesAreOneLineAndExitTwo() throws Exception {
    Path dir = tmp.resolve("d");
    Path plain = tmp.resolve("plain.yaml");
    Files.copy(CliTest.ROOT.resolve("cluster-config/local-3.yaml"), plain);
    String[][] cases = {
      {"certs", "init"},
      {"certs", "init", "--config", plain.toString()},
      {"certs", "init", "--config", tmp.resolve("missing.yaml").toString()},
      {"certs", "init", "--dir", dir.toString(), "--days", "0"},
      {"certs", "issue", "x", "--kind", "client", "--role", "submit", "--dir", dir.toString()},
      {"certs", "issue", "x", "--kind", "client", "--dir", dir.toString()},
      {"certs", "issue", "x", "--kind", "client", "--role", "root", "--dir", dir.toString()},
      {"certs", "issue", "x", "--kind", "worker", "--dir", dir.toString()},
      {"certs", "issue", "x", "--kind", "boss", "--dir", dir.toString()},
      {"certs", "issue", "x", "--kind", "worker", "--role", "admin", "--host", "h"},
      {"certs", "issue", "../x", "--kind", "client", "--role", "submit", "--dir", dir.toString()},
      {"certs", "issue", "ca", "--kind", "client", "--role", "submit", "--dir", dir.toString()},
    };
    String[] expected = {
      "--dir DIR, or --config FILE",
      "has no security.tls",
      "missing.yaml",
      "--days must be between 1 and 36500",
      "no CA in",
      "needs --role",
      "--role must be submit, operate or admin",
      "needs --host HOST",
      "--kind must be master, worker or client",
      "--role is for client certificates only",
      "cannot name a certificate file",
      "overwrite the CA's own files",
    };
    for (int i = 0; i < cases.length; i++) {
      CliTest.Result r = sluice(cases[i]);
      String what = String.join(" ", cases[i]) + " → " + r.err();
      assertThat(r.exit()).as(what).isEqualTo(2);
      assertThat(r.err()).as(what).contains(expected[i]);
      long lines = r.err().strip().lines().filter(l -> !l.startsWith("see ")).count();
      assertThat(lines).as(what).isEqualTo(1);
    }
    assertThat(dir).doesNotExist();
  }
}
