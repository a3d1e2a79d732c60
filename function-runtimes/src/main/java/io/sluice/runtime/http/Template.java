package io.sluice.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Expr;
import io.sluice.model.FunctionDef;
import io.sluice.model.expr.ExpressionException;
import io.sluice.model.expr.JqEvaluator;
import io.sluice.runtime.internal.Settings;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A setting that is either a literal string or, written {@code ${ jq }} (the whole value, as in the
 * Serverless Workflow DSL), a jq expression over the call's input evaluated per call with the
 * project's shared {@link JqEvaluator}. Anything else is literal: {@code /a/${x}} stays as written.
 */
final class Template {
  private static final Pattern EXPRESSION = Pattern.compile("^\\$\\{(.*)}$", Pattern.DOTALL);

  private final String setting;
  private final String literal;
  private final Expr expr;

  private Template(String setting, String literal, Expr expr) {
    this.setting = setting;
    this.literal = literal;
    this.expr = expr;
  }

  /**
   * Reads {@code value} (a string, or a number or boolean kept as its text) of setting {@code
   * setting}; an expression is compiled now, so a bad one is a definition error naming the setting.
   */
  static Template of(FunctionDef f, String setting, JsonNode value) {
    if (value == null || !value.isValueNode() || value.isNull() || value.asText().isEmpty()) {
      throw Settings.bad(f, setting, "must be a non-empty string, got " + value);
    }
    String text = value.asText().strip();
    Matcher m = value.isTextual() ? EXPRESSION.matcher(text) : null;
    if (m == null || !m.matches()) {
      return new Template(setting, value.asText(), null);
    }
    String source = m.group(1).strip();
    if (source.isEmpty()) {
      throw Settings.bad(f, setting, "has an empty jq expression ${ }");
    }
    String problem = JqEvaluator.shared().check(source);
    if (problem != null) {
      throw Settings.bad(f, setting, "is not a valid jq expression: " + problem);
    }
    return new Template(setting, null, new Expr(source, f.location()));
  }

  boolean isLiteral() {
    return expr == null;
  }

  String literal() {
    return literal;
  }

  /**
   * The value for one call: the literal, or the expression's first result as text (a number or
   * boolean as its JSON text); null when the expression yields nothing or {@code null}. Throws
   * {@link ExpressionException} when it fails or yields an object or array.
   */
  String value(JsonNode input, Map<String, JsonNode> variables) {
    if (expr == null) {
      return literal;
    }
    JsonNode v = JqEvaluator.shared().first(expr, input, variables);
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new ExpressionException(
          "setting '"
              + setting
              + "': jq expression '"
              + expr.source()
              + "' gave "
              + (v.isArray() ? "an array" : "an object")
              + ", not a string",
          null);
    }
    return v.asText();
  }

  @Override
  public String toString() {
    return expr == null ? literal : "${ " + expr.source() + " }";
  }
}
