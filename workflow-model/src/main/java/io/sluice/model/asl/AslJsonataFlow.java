package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The data flow of a state in the JSONata query language: {@code Arguments} (a Task's or Parallel's
 * input, default the state input) and {@code Output} (default the result, or the input for states
 * without one), templates whose {@code {% %}} strings are JSONata over {@code $states} ({@code
 * input}, {@code result}, {@code errorOutput}, {@code context}).
 */
final class AslJsonataFlow implements AslFlow {
  private static final Set<String> WITH_RESULT = Set.of("Task", "Parallel", "Map", "Pass");

  private final JsonNode state;
  private final AslContext ctx;
  private final boolean withResult;

  AslJsonataFlow(JsonNode state, AslContext ctx) {
    this.state = state;
    this.ctx = ctx;
    this.withResult = WITH_RESULT.contains(state.path("Type").asText());
  }

  /** jq: {@code template} evaluated with {@code $states} = {@code fields} + the context. */
  static String eval(JsonNode template, String fields, AslContext ctx) {
    return "({"
        + fields
        + (fields.isEmpty() ? "" : ", ")
        + "context: "
        + ctx.jsonata()
        + (ctx.vars() ? ", __vars: $__ctx" : "")
        + "} | asl_jsonata("
        + JqStrings.literal(template)
        + "))";
  }

  @Override
  public String inputPath() {
    return ".";
  }

  @Override
  public String effectiveInput(boolean parameters) {
    return parameters && state.has("Arguments")
        ? eval(state.get("Arguments"), "input: .", ctx)
        : ".";
  }

  @Override
  public String resultSelector() {
    return ".";
  }

  @Override
  public boolean resultPathNeedsRaw() {
    return withResult && state.has("Output");
  }

  @Override
  public String resultPath(String raw) {
    return withResult && state.has("Output")
        ? eval(state.get("Output"), "input: " + raw + ", result: .", ctx)
        : ".";
  }

  @Override
  public String outputPath() {
    return !withResult && state.has("Output") ? eval(state.get("Output"), "input: .", ctx) : ".";
  }

  @Override
  public boolean catcherNeedsRaw(JsonNode c) {
    return c.has("Output");
  }

  @Override
  public String catchOutput(JsonNode c, String error, String raw) {
    if (!c.has("Output")) {
      return error;
    }
    return error
        + " as $err | "
        + eval(c.get("Output"), "input: " + raw + ", errorOutput: $err", ctx);
  }

  @Override
  public AslFlow withContext(AslContext c) {
    return new AslJsonataFlow(state, c);
  }
}
