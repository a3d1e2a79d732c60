package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.master.ExecutionMode;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.partition.Partitioner;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.proto.GetHistoryRequest;
import io.sluice.proto.GetLogsRequest;
import io.sluice.runtime.Secrets;
import io.sluice.testing.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planted secret reaches the function that refers to it ({@code env: {TOKEN: {secret:
 * api_token}}}) on a cluster in this JVM, and nothing else: not the master's registry or definition
 * text, the journal, the instance's status and history, the workers' call logs, nor what the JVM
 * printed meanwhile. A secret the worker does not have fails the call, named.
 */
@IntegrationTest // a master and two workers over gRPC on loopback, OS processes
class SecretsClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLANTED = "planted-Zq81-secret-value";

  private static final String FLOW =
      """
      sluice: "1.0"
      name: secret-user
      version: "1"
      functions:
        hash:
          runtime: process
          env: {TOKEN: {secret: api_token}}
          command: |
            cat >/dev/null
            echo "hashing the token" >&2
            printf '{"sha": "%s"}' "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)"
        missing:
          runtime: process
          env: {OTHER: {secret: not_planted}}
          command: cat
      nodes:
        - {id: first, type: task, function: hash, next: second}
        - {id: second, type: task, function: hash}
      """;

  @TempDir Path dir;

  @Test
  void theFunctionSeesTheSecretAndNothingElseDoes() throws Exception {
    Files.writeString(dir.resolve("api_token"), PLANTED + "\n");
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    MemoryJournal journal = new MemoryJournal();
    StringBuilder seen = new StringBuilder();
    try (LocalCluster cluster =
        new LocalCluster(
            2,
            null,
            Partitioner.criticalPath(),
            Optional.empty(),
            io.sluice.cluster.config.ProgressConfig.DEFAULT,
            Secrets.of(dir, "local"))) {
      System.setOut(new PrintStream(new Tee(out, printed), true));
      System.setErr(new PrintStream(new Tee(err, printed), true));
      cluster.journal(journal);
      WorkflowKey key =
          cluster.master().registerWorkflow("secret.yaml", FLOW, "", "", "").workflow().key();
      InstanceRun run =
          cluster
              .master()
              .invoke(key, JSON.createObjectNode().put("x", 1), ExecutionMode.WORKER, null, "s1");
      var end = run.done().get(60, TimeUnit.SECONDS);
      assertThat(end.state()).as("%s", end).isEqualTo(InstanceState.COMPLETED);
      JsonNode result = end.output();
      assertThat(result.path("sha").asText()).isEqualTo(sha256(PLANTED));

      for (RegisteredWorkflow w : cluster.master().workflows("secret")) {
        seen.append(w.sourceText()).append(w.graph()).append(w.registryText());
      }
      seen.append(cluster.master().views().status("s1"));
      seen.append(
          cluster
              .master()
              .views()
              .history(GetHistoryRequest.newBuilder().setInstanceId("s1").build()));
      String logs =
          cluster
              .master()
              .views()
              .logs(GetLogsRequest.newBuilder().setInstanceId("s1").build())
              .get(30, TimeUnit.SECONDS)
              .toString();
      assertThat(logs).as("the call logs were read").contains("hashing the token");
      seen.append(logs);
      for (byte[] b : journal.workflows().toCompletableFuture().join()) {
        seen.append(new String(b, StandardCharsets.ISO_8859_1));
      }
      journal.load("s1").toCompletableFuture().join().ifPresent(seen::append);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    seen.append(printed.toString(StandardCharsets.UTF_8));
    assertThat(seen.toString()).contains("api_token").doesNotContain(PLANTED);
  }

  @Test
  void aSecretTheWorkerLacksFailsTheCallNamingIt() throws Exception {
    try (LocalCluster cluster =
        new LocalCluster(
            1,
            null,
            Partitioner.criticalPath(),
            Optional.empty(),
            io.sluice.cluster.config.ProgressConfig.DEFAULT,
            Secrets.of(dir, "w1"))) {
      String flow =
          FLOW.replace("name: secret-user", "name: secret-missing")
              .replace("function: hash, next: second", "function: missing, next: second");
      WorkflowKey key =
          cluster.master().registerWorkflow("missing.yaml", flow, "", "", "").workflow().key();
      var end =
          cluster
              .master()
              .invoke(key, JSON.createObjectNode(), ExecutionMode.WORKER, null, "m1")
              .done()
              .get(60, TimeUnit.SECONDS);
      assertThat(end.state()).isEqualTo(InstanceState.FAILED);
      assertThat(String.valueOf(end.error()))
          .contains("BadConfiguration")
          .contains(
              "secret not_planted is not defined on worker w1 (looked in "
                  + dir.toAbsolutePath().normalize().resolve("not_planted")
                  + " and SLUICE_SECRET_NOT_PLANTED)");
    }
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes to both streams. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    Tee(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
