package io.sluice.runtime.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeContract;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.testing.IntegrationTest;

@IntegrationTest // starts OS processes
class ProcessRuntimeContractTest extends FunctionRuntimeContract {

  @Override
  protected FunctionRuntime create(RuntimeOptions options) {
    return new ProcessRuntimeProvider().create(options);
  }

  static FunctionDef shell(String name, String command) {
    return new FunctionDef(name, "process", JSON.objectNode().put("command", command), null);
  }

  @Override
  protected FunctionDef succeeding() {
    return shell("cat", "cat");
  }

  @Override
  protected JsonNode expectedOutput(JsonNode input, String nodeId) {
    return input;
  }

  @Override
  protected FunctionDef failing() {
    return shell("exit3", "exit 3");
  }

  @Override
  protected FunctionDef slow() {
    return shell("sleeper", "sleep 120");
  }

  @Override
  protected FunctionDef misconfigured() {
    var settings = JSON.objectNode();
    settings.putArray("command").add("/nonexistent/sluice-program");
    return new FunctionDef("missingProgram", "process", settings, null);
  }
}
