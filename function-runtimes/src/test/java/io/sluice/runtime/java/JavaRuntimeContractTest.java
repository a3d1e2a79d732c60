package io.sluice.runtime.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.FunctionRuntime;
import io.sluice.runtime.FunctionRuntimeContract;
import io.sluice.runtime.RuntimeOptions;

class JavaRuntimeContractTest extends FunctionRuntimeContract {

  @Override
  protected FunctionRuntime create(RuntimeOptions options) {
    return JavaRuntime.create(options)
        .register(
            "test.slow",
            (in, ctx) -> {
              Thread.sleep(120_000);
              return in;
            });
  }

  @Override
  protected FunctionDef succeeding() {
    return new FunctionDef("echo", "java", JSON.objectNode().put("name", "sluice.echo"), null);
  }

  @Override
  protected JsonNode expectedOutput(JsonNode input, String nodeId) {
    ObjectNode out = JSON.objectNode();
    out.set("input", input);
    return out;
  }

  @Override
  protected FunctionDef failing() {
    return new FunctionDef("sluice.fail", "java", null, null);
  }

  @Override
  protected FunctionDef slow() {
    return new FunctionDef(
        "slow", "java", JSON.objectNode().put("name", "test.slow").put("async", true), null);
  }

  @Override
  protected FunctionDef misconfigured() {
    return new FunctionDef(
        "missingClass", "java", JSON.objectNode().put("class", "com.example.NoSuchFunction"), null);
  }
}
