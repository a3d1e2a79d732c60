package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.security.FunctionChecks;
import io.sluice.cluster.security.TokenHash;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.proto.DeploySubgraphRequest;
import io.sluice.proto.InstanceState;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.NodeAssignment;
import io.sluice.proto.NodePlacement;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.WorkerServiceGrpc;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.testing.IntegrationTest;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code security.allow} on a master with tokens: a submitter's registration of a function the
 * allow-list does not name is refused for each kind (PERMISSION_DENIED naming function, value and
 * key), an admin's is accepted and its deployment marked trusted; a worker refuses an untrusted
 * deployment of a function it does not allow even when the master did not check it.
 */
@IntegrationTest // a master process over Netty with an in-JVM worker
class MasterAllowListTest {
  @TempDir Path dir;
  private MasterProcess master;
  private StandInWorker worker;
  private ManagedChannel channel;
  private final List<String> matrix = new ArrayList<>();
  private boolean allAsExpected = true;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("tokens"),
        "sub submit " + TokenHash.of("tok-sub") + "\nadm admin " + TokenHash.of("tok-adm") + "\n");
    String yaml =
        "name: allow\nmaster: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nheartbeat: {interval: 100ms, missedAllowed: 20}\n"
            + "security:\n  tokens: tokens\n  allow:\n"
            + "    commands: [/bin/echo]\n"
            + "    images: ['sluice/fn-python:*']\n"
            + "    classes: ['com.example.*']\n"
            + "    http: ['https://api.example.com/*']\n"
            + "    cloud: ['resize-*']\n"
            + "workers:\n  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    ClusterConfig config =
        ClusterConfig.parse(dir.resolve("c.yaml").toString(), yaml, java.util.Map.of());
    master = MasterProcess.start(config);
    worker =
        new StandInWorker(
            "w1",
            master.address(),
            StandInWorker.fleet(),
            null,
            FunctionChecks.allowList(config.security()));
    channel = Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    worker.close();
    master.close();
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub as(String token) {
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return WorkflowServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
  }

  private static String workflow(String name, String function) {
    return "sluice: '1.0'\nname: "
        + name
        + "\nversion: '1'\nfunctions:\n  f: "
        + function
        + "\nnodes:\n  - {id: a, type: task, function: f}\n";
  }

  private static RegisterWorkflowRequest register(String text, String registry) {
    var b =
        RegisterWorkflowRequest.newBuilder()
            .setSource(WorkflowSource.newBuilder().setFileName("w.yaml").setDefinitionText(text));
    if (registry != null) {
      b.setFunctionRegistryText(registry).setFunctionRegistryFileName("functions.yaml");
    }
    return b.build();
  }

  /** Registers as {@code who}; records the row; answers the refusal's description or "". */
  private String row(String who, String kind, String text, String registry, String expected) {
    String observed;
    String message = "";
    try {
      as("tok-" + who).registerWorkflow(register(text, registry));
      observed = "OK";
    } catch (StatusRuntimeException e) {
      observed = e.getStatus().getCode().name();
      message = e.getStatus().getDescription();
    }
    boolean same = observed.equals(expected);
    allAsExpected &= same;
    matrix.add(
        String.format(
            "%-4s | %-18s | %-17s | %-17s%s %s",
            who, kind, expected, observed, same ? "" : " MISMATCH", message));
    return message;
  }

  @Test
  void aSubmitterMayRegisterOnlyAllowedFunctionsAndAnAdminAny() {
    String[][] kinds = {
      {
        "process",
        "{runtime: process, command: [id]}",
        "runs command 'id', which security.allow.commands"
      },
      {
        "docker",
        "{runtime: docker, image: alpine}",
        "runs image 'alpine', which security.allow.images"
      },
      {
        "java",
        "{runtime: java, class: org.evil.Boot}",
        "loads class 'org.evil.Boot', which security.allow.classes"
      },
      {
        "http",
        "{runtime: http, url: 'http://169.254.169.254/latest/meta-data/'}",
        "which security.allow.http"
      },
      {
        "aws-lambda",
        "{runtime: aws-lambda, function: charge}",
        "calls cloud function 'charge', which security.allow.cloud"
      },
      {
        "openwhisk",
        "{runtime: openwhisk, apiHost: 'https://api.example.com/', action: evil, authEnv: SLUICE_SECRET_OW}",
        "calls action 'evil', which security.allow.cloud"
      },
    };
    for (String[] k : kinds) {
      String text = workflow("evil-" + k[0], k[1]);
      String refused = row("sub", k[0], text, null, "PERMISSION_DENIED");
      assertThat(refused)
          .startsWith(
              "registering evil-"
                  + k[0]
                  + "@1 without the admin role: function 'f' ("
                  + k[0]
                  + ") ")
          .contains(k[2])
          .endsWith("; register as admin or add it");
      row("adm", k[0], text, null, "OK");
    }
    // the function registry sent with a definition is checked too
    String viaRegistry =
        row(
            "sub",
            "process (registry)",
            workflow("reg", "{runtime: synthetic}"),
            "functions:\n  f: {runtime: process, command: [/bin/sh, -c, id]}\n",
            "PERMISSION_DENIED");
    assertThat(viaRegistry).contains("runs command '/bin/sh', which security.allow.commands");
    row(
        "sub",
        "allowed ones",
        workflow("fine", "{runtime: process, command: [/bin/echo, '{}']}"),
        "functions:\n  g: {runtime: docker, image: 'sluice/fn-python:local'}\n"
            + "  h: {runtime: http, url: 'https://api.example.com/v1/x'}\n",
        "OK");
    System.out.println(
        "allow-list matrix (caller | function kind | expected | observed message)\n"
            + String.join("\n", matrix));
    assertThat(allAsExpected).as(String.join("\n", matrix)).isTrue();
  }

  private JsonNode run(String token, WorkflowRef ref) {
    var status =
        as(token)
            .invokeAndWait(
                InvokeRequest.newBuilder()
                    .setWorkflow(ref)
                    .setMode(Mode.MODE_WORKER)
                    .setInputJson("{}")
                    .build());
    assertThat(status.getState())
        .as(status.toString())
        .isEqualTo(InstanceState.INSTANCE_STATE_SUCCEEDED);
    return WireMapper.json(status.getOutput(), "output");
  }

  @Test
  void anAdminsWorkflowRunsOnAWorkerThatWouldRefuseItFromAnyoneElse() {
    String text = workflow("mine", "{runtime: process, command: [/bin/sh, -c, 'echo 7']}");
    WorkflowRef ref = as("tok-adm").registerWorkflow(register(text, null)).getWorkflow();
    assertThat(run("tok-adm", ref).asInt()).isEqualTo(7);
    // a submitter's allowed function runs after the worker's own check
    WorkflowRef echo =
        as("tok-sub")
            .registerWorkflow(
                register(
                    workflow("echo", "{runtime: process, command: [/bin/echo, '{\"ok\": true}']}"),
                    null))
            .getWorkflow();
    assertThat(run("tok-sub", echo).path("ok").asBoolean()).isTrue();
  }

  @Test
  void aWorkerRefusesAnUntrustedDeploymentOfAFunctionItDoesNotAllow() {
    ManagedChannel toWorker =
        Grpc.newChannelBuilder(worker.address(), InsecureChannelCredentials.create()).build();
    try {
      var stub =
          WorkerServiceGrpc.newBlockingStub(toWorker).withDeadlineAfter(30, TimeUnit.SECONDS);
      DeploySubgraphRequest.Builder req =
          DeploySubgraphRequest.newBuilder()
              .setWorkflow(WorkflowRef.newBuilder().setName("evil").setVersion("1"))
              .setSource(
                  WorkflowSource.newBuilder()
                      .setFileName("w.yaml")
                      .setDefinitionText(workflow("evil", "{runtime: process, command: [id]}")))
              .setPlacement(
                  NodePlacement.newBuilder()
                      .addAssignments(
                          NodeAssignment.newBuilder().setNodeId("a").setWorkerId("w1")));
      StatusRuntimeException refused =
          catchThrowableOfType(
              () -> stub.deploySubgraph(req.build()), StatusRuntimeException.class);
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(refused.getStatus().getDescription())
          .isEqualTo(
              "worker w1 refuses to deploy evil@1 (not registered by an admin): function 'f'"
                  + " (process) runs command 'id', which security.allow.commands does not allow;"
                  + " register as admin or add it");
      assertThat(stub.deploySubgraph(req.setTrusted(true).build()).getLocalNodesList())
          .containsExactly("a");
    } finally {
      toWorker.shutdownNow();
    }
  }
}
