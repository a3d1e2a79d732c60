package io.sluice.runtime.openwhisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeContract;
import io.sluice.runtime.RuntimeOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The runtime contract for {@code openwhisk} against {@link OpenWhiskStandIn} (a stand-in written
 * from OpenWhisk's REST API, not an OpenWhisk controller): {@code echo} returns its parameters,
 * {@code slow} outlasts the stand-in's blocking wait so the call polls its activation until the
 * deadline, and the failing function's controller does not listen (a connection failure).
 */
class OpenWhiskRuntimeContractTest extends FunctionRuntimeContract {
  private static OpenWhiskStandIn standIn;
  private static int closedPort;

  @BeforeAll
  static void startStandIn() throws IOException {
    standIn = new OpenWhiskStandIn();
    standIn.blockingWait = Duration.ofMillis(200);
    standIn.action("echo", (params, n) -> OpenWhiskStandIn.Outcome.success(params));
    standIn.action(
        "slow",
        (params, n) -> {
          Thread.sleep(120_000);
          return OpenWhiskStandIn.Outcome.success(params);
        });
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterAll
  static void stopStandIn() {
    standIn.close();
  }

  @Override
  protected FunctionRuntime create(RuntimeOptions options) {
    return new OpenWhiskFunctionRuntime(options, Map.of("OW_KEY", standIn.key)::get);
  }

  static FunctionDef action(String name, String apiHost, String action) {
    ObjectNode s = JSON.objectNode().put("apiHost", apiHost).put("authEnv", "OW_KEY");
    if (action != null) {
      s.put("action", action);
    }
    return new FunctionDef(name, "openwhisk", s, Location.of("contract.yaml", 3));
  }

  @Override
  protected FunctionDef succeeding() {
    return action("echo", standIn.apiHost(), "echo");
  }

  @Override
  protected JsonNode expectedOutput(JsonNode input, String nodeId) {
    return input;
  }

  @Override
  protected FunctionDef failing() {
    return action("unreachable", "http://127.0.0.1:" + closedPort, "echo");
  }

  @Override
  protected FunctionDef slow() {
    return action("slow", standIn.apiHost(), "slow");
  }

  @Override
  protected FunctionDef misconfigured() {
    return action("noAction", standIn.apiHost(), null);
  }
}
