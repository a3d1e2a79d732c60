package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.cluster.security.TokenHash;
import io.sluice.cluster.tls.CertificateAuthority;
import io.sluice.cluster.tls.Pem;
import io.sluice.cluster.tls.TlsContexts;
import io.sluice.proto.ClusterServiceGrpc;
import io.sluice.proto.RegisterWorkerRequest;
import io.sluice.testing.IntegrationTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's secure cluster as separate processes: a copy of cluster-config/local-3-secure.yaml
 * on free ports, {@code sluice certs init --config} on it, then {@code scripts/cluster.sh start}.
 * Client commands run as processes of their own with only the environment {@code certs init}
 * printed (or less), so what a user sees is what is checked: exit 2 and one line for each refusal,
 * and the admin token's submit working in both modes. Last, a worker with a certificate of another
 * CA, or with none, tries to take the place of a stopped worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@IntegrationTest // starts a master and workers as processes (scripts/cluster.sh), clients too
class SecureClusterProcessesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PORT = Pattern.compile("(grpcPort|httpPort): \\d+");
  @TempDir static Path tmp;
  private Path launcher;
  private Path config;
  private Path runDir;
  private Path secrets;

  /** What {@code certs init} exported: SLUICE_MASTER, SLUICE_CA_FILE, ... */
  private final Map<String, String> exported = new HashMap<>();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The secure config's text with every port replaced by a free one. */
  private static String onFreePorts(String text) throws IOException {
    Matcher m = PORT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, m.group(1) + ": " + freePort());
    }
    return m.appendTail(out).toString();
  }

  private record Run(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }

    /** The stderr lines, for "one line" checks. */
    List<String> errLines() {
      return err.strip().lines().toList();
    }
  }

  /** Runs {@code cmd} with exactly {@code env} on top of a PATH/HOME-only environment. */
  private static Run process(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s ended", cmd).isTrue();
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    System.out.println(String.join(" ", cmd) + " -> " + r.exit() + "\n" + r.out() + r.err());
    return r;
  }

  /** {@code sluice ARGS} as its own process, with the master's address and {@code env}. */
  private Run cli(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
    cmd.addAll(List.of(args));
    Map<String, String> e = new HashMap<>(env);
    e.put("SLUICE_MASTER", exported.get("SLUICE_MASTER"));
    return process(cmd, e);
  }

  private Run script(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(CliTest.ROOT.resolve("scripts/cluster.sh").toString()));
    cmd.addAll(List.of(args));
    Map<String, String> env = new HashMap<>();
    env.put("SLUICE_CMD", launcher.toString());
    env.put("SLUICE_HEALTH_TIMEOUT", "90");
    env.put("SLUICE_STOP_GRACE", "5");
    env.put("SLUICE_LOG_LEVEL", "INFO"); // the master's worker joins and refusals
    return process(cmd, env);
  }

  @BeforeAll
  void initAndStart() throws Exception {
    launcher = tmp.resolve("sluice-test-launcher.sh");
    Files.writeString(
        launcher,
        "#!/bin/sh\nexec java -Xmx384m -cp '"
            + System.getProperty("java.class.path")
            + "' io.sluice.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    String text = Files.readString(CliTest.ROOT.resolve("cluster-config/local-3-secure.yaml"));
    config = tmp.resolve("conf/local-3-secure.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, onFreePorts(text));

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.execute(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "certs",
            "init",
            "--config",
            config.toString());
    assertThat(exit).as(err.toString()).isZero();
    for (String line : out.toString().strip().split("\n")) {
      String kv = line.substring("export ".length());
      exported.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    assertThat(exported)
        .containsKeys(
            "SLUICE_MASTER",
            "SLUICE_CA_FILE",
            "SLUICE_CERT_FILE",
            "SLUICE_KEY_FILE",
            "SLUICE_TOKEN_FILE");
    secrets = config.getParent().resolve("secrets");
    // A submit-role client, in the tokens file before the master reads it.
    Files.writeString(secrets.resolve("ci.token"), "ci-token-of-the-test\n");
    Files.writeString(
        secrets.resolve("tokens"),
        "ci submit " + TokenHash.of("ci-token-of-the-test") + "\n",
        StandardOpenOption.APPEND);
    Files.writeString(secrets.resolve("wrong.token"), "not-a-token-the-master-knows\n");

    // A port found free can be taken before the process binds it: try again on other ports.
    Run last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      runDir = tmp.resolve("run-" + attempt);
      last = script("start", config.toString(), "--run-dir", runDir.toString());
      if (last.exit() == 0) {
        String master = masterAddress();
        exported.put("SLUICE_MASTER", master);
        return;
      }
      script("stop", config.toString(), "--run-dir", runDir.toString());
      Files.writeString(config, onFreePorts(text));
    }
    assertThat(last.exit()).as("cluster.sh start, 3 tries; the last printed:%n%s", last).isZero();
  }

  /** The master's host:grpcPort in the config as it is now (ports change on a retry). */
  private String masterAddress() throws IOException {
    Matcher m =
        Pattern.compile("master: \\{host: ([^,]+), grpcPort: (\\d+)")
            .matcher(Files.readString(config));
    assertThat(m.find()).isTrue();
    return m.group(1) + ":" + m.group(2);
  }

  @AfterAll
  void stop() throws Exception {
    if (runDir != null) {
      script("stop", config.toString(), "--run-dir", runDir.toString());
    }
  }

  /** The environment a client gets: the CA to trust, and these. */
  private Map<String, String> client(String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("SLUICE_CA_FILE", exported.get("SLUICE_CA_FILE"));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  private static void refused(Run r, String code) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).as("one line").hasSize(1);
    assertThat(r.err()).startsWith("sluice: ").contains(code);
  }

  private String hello() {
    return CliTest.ROOT.resolve("examples/hello.yaml").toString();
  }

  @Test
  @Order(1)
  void withoutAToken() throws Exception {
    refused(cli(client(), "submit", hello(), "--wait"), "UNAUTHENTICATED");
  }

  @Test
  @Order(1)
  void withAWrongToken() throws Exception {
    Run r =
        cli(
            client("SLUICE_TOKEN_FILE", secrets.resolve("wrong.token").toString()),
            "submit",
            hello(),
            "--wait");
    refused(r, "UNAUTHENTICATED");
  }

  @Test
  @Order(1)
  void withTheSubmitRoleAnOperateCallIsRefusedAndASubmitWorks() throws Exception {
    Map<String, String> ci = client("SLUICE_TOKEN_FILE", secrets.resolve("ci.token").toString());
    refused(cli(ci, "cancel", "not-an-instance"), "PERMISSION_DENIED");
    Run submitted = cli(ci, "submit", hello(), "--wait", "--json");
    assertThat(submitted.exit()).as(submitted.err()).isZero();
    assertThat(submitted.json().get("status").asText()).isEqualTo("completed");
    // submit lists only the instances it started
    Run listed = cli(ci, "list", "instances");
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).contains(submitted.json().get("instanceId").asText());
  }

  @ParameterizedTest(name = "{0} mode")
  @ValueSource(strings = {"worker", "master"})
  @Order(1)
  void theAdminCredentialsCertsInitPrintedSubmitAndOperate(String mode) throws Exception {
    Map<String, String> admin = new HashMap<>(exported);
    Run r = cli(admin, "submit", hello(), "--mode", mode, "--wait", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("status").asText()).isEqualTo("completed");
    assertThat(j.get("mode").asText()).isEqualTo(mode);
    assertThat(j.get("output").get("greeting").asText()).isEqualTo("done");
    Run list = cli(admin, "list", "instances");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains(j.get("instanceId").asText());
  }

  /**
   * {@code certs issue w1 --force} on the running cluster: w1 serves the new certificate without a
   * restart (docs/security.md, Rotation), and the cluster keeps running workflows.
   */
  @Test
  @Order(2)
  void aWorkerCertificateRotatedWithCertsIssueIsServedWithoutARestart() throws Exception {
    Path tls = secrets.resolve("tls");
    BigInteger before = served("w1", tls);
    assertThat(before)
        .isEqualTo(Pem.readCertificates(tls.resolve("w1.crt")).get(0).getSerialNumber());
    assertThat(Main.execute("certs", "issue", "w1", "--config", config.toString(), "--force"))
        .isZero();
    BigInteger rotated = Pem.readCertificates(tls.resolve("w1.crt")).get(0).getSerialNumber();
    assertThat(rotated).isNotEqualTo(before);
    Awaitility.await("w1 serves its new certificate")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> served("w1", tls).equals(rotated));
    Run r = cli(new HashMap<>(exported), "submit", hello(), "--mode", "worker", "--wait", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.json().get("status").asText()).isEqualTo("completed");
  }

  /**
   * The serial number of the certificate worker {@code id}'s gRPC port presents (as the master).
   */
  private BigInteger served(String id, Path tls) throws Exception {
    Matcher m =
        Pattern.compile("id: " + id + ", host: ([^,]+), grpcPort: (\\d+)")
            .matcher(Files.readString(config));
    assertThat(m.find()).isTrue();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "master",
        Pem.readPrivateKey(tls.resolve("master.key")),
        new char[0],
        Pem.readCertificates(tls.resolve("master.crt")).toArray(new X509Certificate[0]));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", Pem.readCertificates(tls.resolve("ca.crt")).get(0));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    try (SSLSocket s =
        (SSLSocket) ctx.getSocketFactory().createSocket(m.group(1), Integer.parseInt(m.group(2)))) {
      s.setSoTimeout(10_000);
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2"});
      s.setSSLParameters(p);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  /**
   * Stops w3, then starts processes that say they are w3 without w3's certificate of the cluster's
   * CA: one with a certificate of another CA (trusting the cluster's CA, whose certificate is no
   * secret), one with w2's certificate, one without TLS. None registers; the master logs why for
   * the first two (a plaintext caller never gets past the TLS port, which logs nothing). Then a TLS
   * caller without a certificate calls Register itself. w3 stays stopped.
   */
  @Test
  @Order(3)
  void aWorkerWithoutItsCertificateOfTheClustersCaCannotRegister() throws Exception {
    Path master = runDir.resolve("master.log");
    String pidLine = Files.readString(runDir.resolve("worker-w3.pid")).strip();
    ProcessHandle w3 = ProcessHandle.of(Long.parseLong(pidLine.split("\\s+")[1])).orElseThrow();
    w3.destroy();
    w3.onExit().get(30, TimeUnit.SECONDS);
    Pattern joined = Pattern.compile("worker w3 .*(joined|restarted|registered again)");
    long joinsBefore =
        Files.readString(master).lines().filter(l -> joined.matcher(l).find()).count();
    Path tls = secrets.resolve("tls");

    Path otherCa = tmp.resolve("other-ca");
    assertThat(Main.execute("certs", "init", "--dir", otherCa.toString())).isZero();
    assertThat(
            Main.execute(
                "certs",
                "issue",
                "w3",
                "--kind",
                "worker",
                "--host",
                "127.0.0.1",
                "--dir",
                otherCa.toString()))
        .isZero();
    Files.copy(
        tls.resolve("ca.crt"), otherCa.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    Path w2s = tmp.resolve("w2s-certificate");
    Files.createDirectories(w2s);
    Files.copy(tls.resolve("ca.crt"), w2s.resolve("ca.crt"));
    Files.copy(tls.resolve("w2.crt"), w2s.resolve("w3.crt"));
    Files.copy(tls.resolve("w2.key"), w2s.resolve("w3.key"));

    String text = Files.readString(config);
    String tlsLine = "tls: {dir: secrets/tls}";
    assertThat(text).contains(tlsLine);
    Map<String, String> configs = new java.util.LinkedHashMap<>();
    configs.put("other-ca", text.replace(tlsLine, "tls: {dir: " + otherCa + "}"));
    configs.put("w2s-certificate", text.replace(tlsLine, "tls: {dir: " + w2s + "}"));
    configs.put("plaintext", text.replace(tlsLine, ""));
    Map<String, String> why =
        Map.of(
            "other-ca",
            "TLS: master refused a client: certificate 'OU=worker,CN=w3' is not signed by the"
                + " cluster's CA",
            "w2s-certificate",
            "the certificate of worker w2 cannot speak for worker 'w3'");

    for (var c : configs.entrySet()) {
      Path impostor = config.resolveSibling(c.getKey() + ".yaml");
      Files.writeString(impostor, c.getValue());
      long linesBefore = Files.readString(master).lines().count();
      Run r =
          process(
              List.of(
                  launcher.toString(),
                  "worker",
                  "--config",
                  impostor.toString(),
                  "--id",
                  "w3",
                  "--register-timeout",
                  "15"),
              Map.of());
      String logged =
          String.join("\n", Files.readString(master).lines().skip(linesBefore).toList());
      System.out.println(c.getKey() + ": the master logged:\n" + logged);
      assertThat(r.exit()).as(c.getKey() + " exit").isNotZero();
      if (why.containsKey(c.getKey())) {
        assertThat(logged).as(c.getKey()).contains(why.get(c.getKey()));
      }
      long joinsAfter =
          Files.readString(master).lines().filter(l -> joined.matcher(l).find()).count();
      assertThat(joinsAfter).as(c.getKey() + ": w3 registrations").isEqualTo(joinsBefore);
    }

    long linesBefore = Files.readString(master).lines().count();
    TlsContexts noCertificate =
        TlsContexts.client(tls.resolve("ca.crt"), Optional.empty(), Optional.empty());
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                exported.get("SLUICE_MASTER"),
                noCertificate.channel(CertificateAuthority.Kind.MASTER))
            .build();
    try {
      StatusRuntimeException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () ->
                  ClusterServiceGrpc.newBlockingStub(ch)
                      .withDeadlineAfter(20, TimeUnit.SECONDS)
                      .register(
                          RegisterWorkerRequest.newBuilder()
                              .setWorkerId("w3")
                              .setAddress("127.0.0.1:1")
                              .setSlots(64)
                              .build()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(e.getStatus().getDescription()).contains("the caller gave none");
    } finally {
      ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Files.readString(master)
                    .lines()
                    .skip(linesBefore)
                    .anyMatch(l -> l.contains("needs a worker certificate")));
  }
}
