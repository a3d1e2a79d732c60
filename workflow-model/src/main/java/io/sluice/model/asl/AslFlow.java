package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A state's data flow as jq, in one of ASL's two query languages: JSONPath ({@link AslDataFlow}) or
 * JSONata ({@link AslJsonataFlow}). Each method returns jq over the value its Javadoc names.
 */
interface AslFlow {
  /** Over the raw input: what a Choice tests, a Wait passes on, a Map takes its items from. */
  String inputPath();

  /** Over the raw input: what the state works on (a Task's function input). */
  String effectiveInput(boolean parameters);

  /** Over the result: the selected result. */
  String resultSelector();

  /** Whether {@link #resultPath} reads the raw input. */
  boolean resultPathNeedsRaw();

  /** Over the selected result: the state's output before {@link #outputPath}; {@code raw} is jq. */
  String resultPath(String raw);

  /** Over the state's output so far: its final output. */
  String outputPath();

  /** Whether a catcher's output reads the state's raw input. */
  boolean catcherNeedsRaw(JsonNode catcher);

  /**
   * A catch handler's input mapping; {@code error} is jq for {@code {Error, Cause}}, {@code raw} jq
   * for the state's raw input, both using {@code $e} (the Sluice error object).
   */
  String catchOutput(JsonNode catcher, String error, String raw);

  /** The same flow where the context object reads through {@code ctx}. */
  AslFlow withContext(AslContext ctx);
}
