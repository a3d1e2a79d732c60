package io.sluice.runtime.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeContract;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The runtime contract for {@code aws-lambda} against serverless-offline's Lambda Invoke API
 * ({@link ServerlessOffline}): {@code echo} answers with its input and the node id from the
 * ClientContext, {@code slow} sleeps for two minutes, and the failing function's endpoint does not
 * listen (a connection failure, {@code FunctionFailed}).
 */
@IntegrationTest // starts serverless-offline (Node.js)
class LambdaRuntimeContractTest extends FunctionRuntimeContract {
  private static ServerlessOffline sls;
  private static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    TestCredentials.install();
    sls = ServerlessOffline.start();
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (sls != null) {
      sls.close();
    }
  }

  @Override
  protected FunctionRuntime create(RuntimeOptions options) {
    return new LambdaRuntimeProvider().create(options);
  }

  private static FunctionDef fn(String name, ObjectNode settings) {
    return new FunctionDef(name, "aws-lambda", settings, Location.of("contract.yaml", 2));
  }

  @Override
  protected FunctionDef succeeding() {
    return fn("echo", LambdaOfflineTest.settings("echo", sls.endpoint()));
  }

  @Override
  protected JsonNode expectedOutput(JsonNode input, String nodeId) {
    ObjectNode out = JSON.objectNode();
    out.set("input", input);
    return out.put("node", nodeId)
        .put("idempotencyKey", "instance-1/" + nodeId + "@1")
        .put("stepKey", "instance-1/" + nodeId)
        .put("attempt", "1");
  }

  @Override
  protected FunctionDef failing() {
    return fn("unreachable", LambdaOfflineTest.settings("echo", "http://127.0.0.1:" + closedPort));
  }

  @Override
  protected FunctionDef slow() {
    return fn("slow", LambdaOfflineTest.settings("slow", sls.endpoint()));
  }

  @Override
  protected FunctionDef misconfigured() {
    ObjectNode s = LambdaOfflineTest.settings("echo", sls.endpoint());
    s.remove("function");
    return fn("noFunction", s);
  }
}
