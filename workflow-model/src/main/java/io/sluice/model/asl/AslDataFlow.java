package io.sluice.model.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSONPath data flow of one state as jq: InputPath, Parameters, ResultSelector, ResultPath and
 * OutputPath (docs/importers.md, "Amazon States Language"). Each method returns jq over the value
 * named in its Javadoc.
 */
final class AslDataFlow implements AslFlow {
  private final JsonNode state;
  private final AslContext ctx;

  AslDataFlow(JsonNode state, AslContext ctx) {
    this.state = state;
    this.ctx = ctx;
  }

  private JsonNode field(String name) {
    return state.get(name);
  }

  /** Whether the field is present, null included ({@code "ResultPath": null} is meaningful). */
  private boolean has(String name) {
    return state.has(name);
  }

  private String pathText(String name) {
    JsonNode v = field(name);
    if (!v.isTextual()) {
      throw new AslException(name + " must be a path string or null, got " + v);
    }
    return v.asText();
  }

  @Override
  public AslFlow withContext(AslContext c) {
    return new AslDataFlow(state, c);
  }

  @Override
  public boolean catcherNeedsRaw(JsonNode c) {
    JsonNode rp = c.get("ResultPath");
    return c.has("ResultPath") && (rp.isNull() || !"$".equals(rp.asText()));
  }

  @Override
  public String catchOutput(JsonNode c, String error, String raw) {
    return error + " | (" + resultPath(c.get("ResultPath"), c.has("ResultPath"), raw) + ")";
  }

  /** InputPath over {@code .}: null gives {@code {}}, missing or {@code $} the input itself. */
  @Override
  public String inputPath() {
    if (!has("InputPath")) {
      return ".";
    }
    if (field("InputPath").isNull()) {
      return "{}";
    }
    return AslPath.parse(pathText("InputPath")).jq(".", ctx);
  }

  /** InputPath then Parameters over the raw input {@code .}: the effective input. */
  @Override
  public String effectiveInput(boolean parameters) {
    String in = inputPath();
    if (!parameters || !has("Parameters")) {
      return in;
    }
    String p = AslPayload.jq(field("Parameters"), ".", ctx);
    return in.equals(".") ? p : in + " | " + p;
  }

  /** ResultSelector over the result {@code .}. */
  @Override
  public String resultSelector() {
    return has("ResultSelector") ? AslPayload.jq(field("ResultSelector"), ".", ctx) : ".";
  }

  /** Whether ResultPath needs the state's raw input (anything but the default {@code $}). */
  @Override
  public boolean resultPathNeedsRaw() {
    return has("ResultPath")
        && (field("ResultPath").isNull() || !"$".equals(pathText("ResultPath")));
  }

  /** ResultPath: the result {@code .} placed into {@code raw}. */
  @Override
  public String resultPath(String raw) {
    return resultPath(field("ResultPath"), has("ResultPath"), raw);
  }

  static String resultPath(JsonNode rp, boolean present, String raw) {
    if (!present || (rp.isTextual() && rp.asText().equals("$"))) {
      return ".";
    }
    if (rp.isNull()) {
      return raw;
    }
    if (!rp.isTextual()) {
      throw new AslException("ResultPath must be a path string or null, got " + rp);
    }
    return ". as $result | "
        + raw
        + " | if type == \"object\" or type == \"null\" then setpath("
        + AslPath.referencePath(rp.asText())
        + "; $result) else error(\"States.ResultPathMatchFailure: cannot apply ResultPath "
        + rp.asText().replace("\"", "\\\"")
        + " to a \" + type) end";
  }

  /** OutputPath over {@code .}. */
  @Override
  public String outputPath() {
    if (!has("OutputPath")) {
      return ".";
    }
    if (field("OutputPath").isNull()) {
      return "{}";
    }
    return AslPath.parse(pathText("OutputPath")).jq(".", ctx);
  }

  /** The jq pipeline of {@code parts}, without identity steps; null when all are identity. */
  static String pipe(String... parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      if (p != null && !p.equals(".")) {
        b.append(b.length() == 0 ? "" : " | ").append("(").append(p).append(")");
      }
    }
    return b.length() == 0 ? null : b.toString();
  }
}
