package io.sluice.model.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.sluice.model.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * Compiles and evaluates jq expressions (jackson-jq, jq 1.6 dialect). Compiled queries are cached
 * by source text; the evaluator is thread-safe. jq never evaluates host code. Each evaluation is
 * bounded in time and steps ({@link JqBudget}): a runaway expression fails with an {@link
 * ExpressionException} (the node with {@code ExpressionFailed}) and leaves the thread free.
 */
public final class JqEvaluator {
  private static final JqEvaluator SHARED = new JqEvaluator();

  private final Scope root;
  private final Map<String, JsonQuery> cache = new ConcurrentHashMap<>();

  private JqEvaluator() {
    root = Scope.newEmptyScope();
    BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
    JqBudget.meter(root);
    JqRegexGuard.install(root);
  }

  public static JqEvaluator shared() {
    return SHARED;
  }

  /** Compiles an expression, or throws an {@link ExpressionException} saying what is wrong. */
  public JsonQuery compile(String source) {
    JsonQuery q = cache.get(source);
    if (q != null) {
      return q;
    }
    try {
      q = JsonQuery.compile(source, Versions.JQ_1_6);
    } catch (JsonQueryException | RuntimeException e) {
      throw new ExpressionException(
          "bad jq expression " + quote(source) + ": " + firstLine(e.getMessage()), e);
    } catch (StackOverflowError e) {
      // jackson-jq's parser recurses once per level of nesting ((, [, if, try, -, def, ...); the
      // thread's stack, not the expression, sets the limit, so say what to change
      throw new ExpressionException(
          "bad jq expression "
              + quote(source)
              + ": nested too deeply to compile; split it or use fewer levels",
          e);
    }
    cache.putIfAbsent(source, q);
    return q;
  }

  /** Returns null if the expression compiles, else what is wrong with it. */
  public String check(String source) {
    try {
      compile(source);
      return null;
    } catch (ExpressionException e) {
      return e.getMessage();
    }
  }

  /**
   * Evaluates an expression and returns its first result (null node if it yields nothing).
   *
   * @param variables values bound to {@code $name} for each entry
   */
  public JsonNode first(Expr expr, JsonNode input, Map<String, JsonNode> variables) {
    List<JsonNode> out = all(expr, input, variables);
    return out.isEmpty() ? NullNode.getInstance() : out.get(0);
  }

  /** Evaluates an expression and returns every result. */
  public List<JsonNode> all(Expr expr, JsonNode input, Map<String, JsonNode> variables) {
    JsonQuery q = compile(expr.source());
    Scope scope = Scope.newChildScope(root);
    for (Map.Entry<String, JsonNode> v : variables.entrySet()) {
      scope.setValue(v.getKey(), v.getValue() == null ? NullNode.getInstance() : v.getValue());
    }
    List<JsonNode> out = new ArrayList<>(1);
    JqBudget previous = JqBudget.begin();
    try {
      q.apply(
          scope,
          input == null ? NullNode.getInstance() : input,
          v -> {
            JqBudget.step();
            out.add(v);
          });
    } catch (JsonQueryException | RuntimeException e) {
      throw new ExpressionException(
          "jq expression " + quote(expr.source()) + " failed: " + firstLine(e.getMessage()), e);
    } catch (StackOverflowError e) {
      throw new ExpressionException(
          "jq expression " + quote(expr.source()) + " failed: recursion too deep", e);
    } catch (OutOfMemoryError e) {
      out.clear();
      throw new ExpressionException(
          "jq expression " + quote(expr.source()) + " failed: built a value larger than the heap",
          e);
    } finally {
      JqBudget.end(previous);
    }
    return out;
  }

  /** jq truthiness: everything but {@code null} and {@code false} is true. */
  public static boolean truthy(JsonNode v) {
    return v != null && !v.isNull() && !(v.isBoolean() && !v.booleanValue()) && !v.isMissingNode();
  }

  /** Longest expression a message repeats in full. */
  static final int QUOTED = 120;

  /** The expression quoted for a message: whole, or its start and its length when long. */
  static String quote(String source) {
    return source.length() <= QUOTED
        ? "'" + source + "'"
        : "'" + source.substring(0, QUOTED) + "...' (" + source.length() + " characters)";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no detail)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
