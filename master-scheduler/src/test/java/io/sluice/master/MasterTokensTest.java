package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.sluice.cluster.config.ClusterConfig;
import io.sluice.cluster.security.TokenHash;
import io.sluice.master.audit.AuditLog;
import io.sluice.proto.CancelRequest;
import io.sluice.proto.DrainWorkerRequest;
import io.sluice.proto.GetHistoryRequest;
import io.sluice.proto.GetInstanceRequest;
import io.sluice.proto.GetLogsRequest;
import io.sluice.proto.InvokeRequest;
import io.sluice.proto.ListInstancesRequest;
import io.sluice.proto.ListWorkflowsRequest;
import io.sluice.proto.Mode;
import io.sluice.proto.RegisterWorkflowRequest;
import io.sluice.proto.WorkflowRef;
import io.sluice.proto.WorkflowServiceGrpc;
import io.sluice.proto.WorkflowSource;
import io.sluice.testing.IntegrationTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Client tokens and roles on a master with {@code security.tokens}: callers without a token, with a
 * wrong one, with too small a role and with the right one, over gRPC and HTTP; the refusal matrix
 * is printed; the file is re-read when it changes; the audit line names the token's holder.
 */
@IntegrationTest // a master process over Netty with an in-JVM worker
class MasterTokensTest {
  private static final Path WORKFLOW = Path.of("src/test/resources/events/wait-approval.yaml");
  private final Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
  private final ListAppender<ILoggingEvent> lines =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
          e.prepareForDeferredProcessing();
          super.append(e);
        }
      };

  @TempDir Path dir;
  private Path tokens;
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
    lines.start();
    audit.addAppender(lines);
    tokens = dir.resolve("tokens");
    Files.writeString(
        tokens,
        "# NAME ROLE HASH\n"
            + "sub submit "
            + TokenHash.of("tok-sub")
            + "\nop operate "
            + TokenHash.of("tok-op")
            + "  # the on-call operator\n"
            + "adm admin "
            + TokenHash.of("tok-adm")
            + "\nsub2 submit "
            + TokenHash.of("tok-sub2")
            + "\n");
    String yaml =
        "name: tokens\nmaster: {host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\nheartbeat: {interval: 100ms, missedAllowed: 20}\nsecurity: {tokens: tokens, web: {metrics: token}}\n"
            + "workers:\n  - {id: w1, host: 127.0.0.1, grpcPort: "
            + freePort()
            + ", httpPort: "
            + freePort()
            + "}\n";
    Path config = dir.resolve("cluster.yaml");
    Files.writeString(config, yaml);
    master = MasterProcess.start(ClusterConfig.load(config));
    worker = new StandInWorker("w1", master.address(), StandInWorker.fleet());
    channel = Grpc.newChannelBuilder(master.address(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() {
    audit.detachAppender(lines);
    channel.shutdownNow();
    worker.close();
    master.close();
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub as(String authorization) {
    var s = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    if (authorization == null) {
      return s;
    }
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
    return s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
  }

  /** Runs {@code call} as the holder of {@code credential}; records the row and its outcome. */
  private String grpc(
      String caller,
      String credential,
      String call,
      String expected,
      Function<WorkflowServiceGrpc.WorkflowServiceBlockingStub, Object> run) {
    String observed;
    String message = "";
    try {
      run.apply(as(credential));
      observed = "OK";
    } catch (StatusRuntimeException e) {
      observed = e.getStatus().getCode().name();
      message = String.valueOf(e.getStatus().getDescription());
    }
    row(caller, credential, "gRPC " + call, expected, observed, message);
    return message;
  }

  private HttpResponse<String> http(
      String caller, String credential, String method, String path, int expected) throws Exception {
    return http(
        caller,
        credential,
        credential == null ? Map.of() : Map.of("Authorization", credential),
        method,
        path,
        expected);
  }

  /** A request with {@code headers}; {@code credential} names them in the matrix. */
  private HttpResponse<String> http(
      String caller,
      String credential,
      Map<String, String> headers,
      String method,
      String path,
      int expected)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + master.httpPort() + path));
    headers.forEach(b::header);
    if (method.equals("POST") && path.equals("/signin")) {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"" + caller + "\"}"));
    } else if (method.equals("POST")) {
      b.header("Content-Type", "application/cloudevents+json")
          .POST(
              HttpRequest.BodyPublishers.ofString(
                  "{\"specversion\":\"1.0\",\"id\":\"ev-"
                      + matrix.size()
                      + "\",\"type\":\"com.example.nobody\",\"source\":\"/t\"}"));
    }
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    String body = r.body().length() > 90 ? r.body().substring(0, 90) + "..." : r.body();
    row(
        caller,
        credential,
        "HTTP " + method + " " + path,
        Integer.toString(expected),
        Integer.toString(r.statusCode()),
        r.statusCode() >= 400 ? body : "");
    return r;
  }

  private void row(
      String caller,
      String credential,
      String call,
      String expected,
      String observed,
      String message) {
    String cred = credential == null ? "(none)" : credential;
    boolean same = expected.equals(observed);
    allAsExpected &= same;
    matrix.add(
        String.format(
            "%-7s | %-16s | %-30s | %-17s | %-17s%s %s",
            caller, cred, call, expected, observed, same ? "" : " MISMATCH", message));
  }

  @Test
  void callersAreRefusedOrServedByTheirTokensRole() throws Exception {
    WorkflowRef ref =
        as("Bearer tok-sub")
            .registerWorkflow(
                RegisterWorkflowRequest.newBuilder()
                    .setSource(
                        WorkflowSource.newBuilder()
                            .setFileName("w.yaml")
                            .setDefinitionText(Files.readString(WORKFLOW)))
                    .build())
            .getWorkflow();
    String id =
        as("Bearer tok-sub")
            .invoke(
                InvokeRequest.newBuilder()
                    .setWorkflow(ref)
                    .setMode(Mode.MODE_WORKER)
                    .setInputJson("{\"orderId\": 1}")
                    .build())
            .getInstanceId();
    var list = ListWorkflowsRequest.getDefaultInstance();
    var cancel = CancelRequest.newBuilder().setInstanceId(id).setReason("test").build();
    var drain = DrainWorkerRequest.newBuilder().setWorkerId("w1").build();

    String unknown =
        grpc("anyone", null, "ListWorkflows", "UNAUTHENTICATED", s -> s.listWorkflows(list));
    grpc("anyone", "Bearer wrong", "ListWorkflows", "UNAUTHENTICATED", s -> s.listWorkflows(list));
    grpc("anyone", "tok-sub", "ListWorkflows", "UNAUTHENTICATED", s -> s.listWorkflows(list));
    grpc("sub", "Bearer tok-sub", "ListWorkflows", "OK", s -> s.listWorkflows(list));
    var get = GetInstanceRequest.newBuilder().setInstanceId(id).build();
    grpc("sub", "Bearer tok-sub", "GetInstance (own)", "OK", s -> s.getInstance(get));
    String notOwn =
        grpc(
            "sub2",
            "Bearer tok-sub2",
            "GetInstance (sub's)",
            "PERMISSION_DENIED",
            s -> s.getInstance(get));
    grpc(
        "sub2",
        "Bearer tok-sub2",
        "GetHistory (sub's)",
        "PERMISSION_DENIED",
        s -> s.getHistory(GetHistoryRequest.newBuilder().setInstanceId(id).build()));
    grpc(
        "sub2",
        "Bearer tok-sub2",
        "GetLogs (sub's)",
        "PERMISSION_DENIED",
        s -> s.getLogs(GetLogsRequest.newBuilder().setInstanceId(id).build()));
    grpc(
        "sub2",
        "Bearer tok-sub2",
        "WatchInstance (sub's)",
        "PERMISSION_DENIED",
        s -> s.watchInstance(get).next());
    var listAll = ListInstancesRequest.getDefaultInstance();
    grpc("sub2", "Bearer tok-sub2", "ListInstances", "OK", s -> s.listInstances(listAll));
    grpc("op", "Bearer tok-op", "GetInstance (sub's)", "OK", s -> s.getInstance(get));
    assertThat(as("Bearer tok-sub").listInstances(listAll).getInstancesList())
        .extracting(i -> i.getInstanceId() + " " + i.getStartedBy())
        .containsExactly(id + " sub");
    assertThat(as("Bearer tok-sub2").listInstances(listAll).getInstancesList()).isEmpty();
    assertThat(as("Bearer tok-op").getInstance(get).getStartedBy()).isEqualTo("sub");
    String denied =
        grpc("sub", "Bearer tok-sub", "Cancel", "PERMISSION_DENIED", s -> s.cancel(cancel));
    grpc("sub", "Bearer tok-sub", "DrainWorker", "PERMISSION_DENIED", s -> s.drainWorker(drain));
    grpc("op", "Bearer tok-op", "DrainWorker", "PERMISSION_DENIED", s -> s.drainWorker(drain));
    grpc("op", "Bearer tok-op", "Cancel", "OK", s -> s.cancel(cancel));
    grpc("adm", "Bearer tok-adm", "DrainWorker", "OK", s -> s.drainWorker(drain));
    http("anyone", null, "POST", "/events", 401);
    http("anyone", "Bearer wrong", "POST", "/events", 401);
    HttpResponse<String> posted = http("sub", "Bearer tok-sub", "POST", "/events", 404);
    http("anyone", null, "GET", "/api/workflows", 401);
    http("sub", "Bearer tok-sub", "GET", "/api/workflows", 200);
    HttpResponse<String> ownList = http("sub", "Bearer tok-sub", "GET", "/api/instances", 200);
    HttpResponse<String> otherList = http("sub2", "Bearer tok-sub2", "GET", "/api/instances", 200);
    http("sub", "Bearer tok-sub", "GET", "/api/instances/" + id, 200);
    http("sub2", "Bearer tok-sub2", "GET", "/api/instances/" + id, 403);
    http("sub2", "Bearer tok-sub2", "GET", "/api/instances/" + id + "/history", 403);
    http("op", "Bearer tok-op", "GET", "/api/instances", 200);
    http("op", "Bearer tok-op", "GET", "/api/instances/" + id, 200);
    http("anyone", null, "GET", "/health", 200);
    http("anyone", null, "GET", "/metrics", 401);
    http("sub", "Bearer tok-sub", "GET", "/metrics", 200);

    // browser sessions: the cookie stands for the token; its POSTs need the CSRF header
    http("tok-wrong", "(sign in)", Map.of(), "POST", "/signin", 401);
    HttpResponse<String> signedIn = http("tok-sub", "(sign in)", Map.of(), "POST", "/signin", 200);
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElse("");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    http("sub", "cookie", Map.of("Cookie", cookie), "GET", "/api/workflows", 200);
    http("sub", "cookie", Map.of("Cookie", cookie), "GET", "/api/instances/" + id, 200);
    http("sub", "cookie", Map.of("Cookie", cookie), "POST", "/events", 403);
    http(
        "sub",
        "cookie+X-Sluice-Csrf",
        Map.of("Cookie", cookie, "X-Sluice-Csrf", "1"),
        "POST",
        "/events",
        404);
    http(
        "sub",
        "cookie+evil Origin",
        Map.of("Cookie", cookie, "X-Sluice-Csrf", "1", "Origin", "http://evil.example"),
        "POST",
        "/events",
        403);
    http(
        "sub",
        "cookie as admin",
        Map.of("Cookie", cookie.replace(".submit.", ".admin.")),
        "GET",
        "/api/workflows",
        401);

    System.out.println(
        "refusal matrix (caller | credential | call | expected | observed message)\n"
            + String.join("\n", matrix));
    assertThat(allAsExpected).as(String.join("\n", matrix)).isTrue();
    assertThat(unknown)
        .isEqualTo(
            "missing or unknown token (send authorization: Bearer TOKEN; see docs/security.md)");
    assertThat(denied).isEqualTo("Cancel needs role operate; sub has role submit");
    assertThat(notOwn)
        .isEqualTo(
            "instance " + id + " was started by sub; role submit reads only its own instances");
    assertThat(ownList.body()).contains(id).contains("\"startedBy\":\"sub\"");
    assertThat(otherList.body()).doesNotContain(id);
    assertThat(setCookie)
        .startsWith("sluice_session=sub.submit.")
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .doesNotContain("Secure");
    assertThat(posted.body()).doesNotContain("token");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                lines.list.stream()
                    .map(ILoggingEvent::getMDCPropertyMap)
                    .anyMatch(
                        f -> "Cancel".equals(f.get("audit")) && "ok".equals(f.get("outcome"))));
    List<Map<String, String>> cancels =
        lines.list.stream()
            .map(ILoggingEvent::getMDCPropertyMap)
            .filter(f -> "Cancel".equals(f.get("audit")))
            .toList();
    assertThat(cancels)
        .extracting(f -> f.get("principal") + " " + f.get("outcome"))
        .containsExactly("sub PERMISSION_DENIED", "op ok");
    // HTTP /events lines name the principal too, whether it came with a token or a cookie
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                lines.list.stream()
                        .map(ILoggingEvent::getMDCPropertyMap)
                        .filter(f -> "HTTP /events".equals(f.get("audit")))
                        .count()
                    >= 2);
    assertThat(
            lines.list.stream()
                .map(ILoggingEvent::getMDCPropertyMap)
                .filter(f -> "HTTP /events".equals(f.get("audit")))
                .map(f -> f.get("principal"))
                .toList())
        .containsOnly("sub");
  }

  @Test
  void aTokenAddedToTheFileIsAcceptedOnceReRead() throws Exception {
    var list = ListWorkflowsRequest.getDefaultInstance();
    assertThat(
            Status.fromThrowable(
                    org.assertj.core.api.Assertions.catchThrowable(
                        () -> as("Bearer tok-late").listWorkflows(list)))
                .getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    FileTime before = Files.getLastModifiedTime(tokens);
    Files.writeString(
        tokens, "late submit " + TokenHash.of("tok-late") + "\n", StandardOpenOption.APPEND);
    // a coarse file system may keep the same time within one second: make the change visible
    Files.setLastModifiedTime(tokens, FileTime.fromMillis(before.toMillis() + 2_000));
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
        .until(() -> as("Bearer tok-late").listWorkflows(list) != null);
  }

  @Test
  void aSessionEndsWhenItsTokenIsRemovedFromTheFile() throws Exception {
    HttpResponse<String> signedIn = http("tok-op", "(sign in)", Map.of(), "POST", "/signin", 200);
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    Map<String, String> cookie = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
    http("op", "cookie", cookie, "GET", "/api/instances", 200);
    FileTime before = Files.getLastModifiedTime(tokens);
    List<String> kept =
        Files.readAllLines(tokens).stream().filter(l -> !l.startsWith("op ")).toList();
    Files.write(tokens, kept);
    Files.setLastModifiedTime(tokens, FileTime.fromMillis(before.toMillis() + 2_000));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                HttpClient.newHttpClient()
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create(
                                        "http://127.0.0.1:" + master.httpPort() + "/api/instances"))
                                .header("Cookie", cookie.get("Cookie"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 401);
  }
}
