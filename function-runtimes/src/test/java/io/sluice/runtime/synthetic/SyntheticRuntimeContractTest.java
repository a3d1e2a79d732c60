package io.sluice.runtime.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeContract;
import io.sluice.runtime.RuntimeOptions;

class SyntheticRuntimeContractTest extends FunctionRuntimeContract {

  @Override
  protected FunctionRuntime create(RuntimeOptions options) {
    return new SyntheticRuntimeProvider().create(options);
  }

  @Override
  protected FunctionDef succeeding() {
    return new FunctionDef("step", "synthetic", JSON.objectNode().put("computeMs", 5), null);
  }

  @Override
  protected JsonNode expectedOutput(JsonNode input, String nodeId) {
    return JSON.objectNode().put("node", nodeId);
  }

  @Override
  protected FunctionDef failing() {
    return new FunctionDef("flaky", "synthetic", JSON.objectNode().put("failAttempts", 99), null);
  }

  @Override
  protected FunctionDef slow() {
    return new FunctionDef("slow", "synthetic", JSON.objectNode().put("computeMs", 120_000), null);
  }

  @Override
  protected FunctionDef misconfigured() {
    return new FunctionDef("negative", "synthetic", JSON.objectNode().put("computeMs", -1), null);
  }
}
