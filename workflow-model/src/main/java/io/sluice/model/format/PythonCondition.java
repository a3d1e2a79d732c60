package io.sluice.model.format;

import java.util.List;
import java.util.Set;

/**
 * Translates a FaaSFlow switch condition, a Python expression over {@code INPUT}, into jq over the
 * switch's input with Python truthiness. Supported: {@code INPUT}, {@code INPUT.x}, {@code
 * INPUT['x']}, {@code INPUT[0]} (chained), number, string, True/False/None literals, parentheses,
 * {@code == != < > <= >=} (not chained), {@code and}, {@code or}, {@code not}. Anything else is
 * rejected with an {@link IllegalArgumentException} saying what is not supported.
 */
final class PythonCondition {
  private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=");

  private final String text;
  private final List<String> tokens;
  private int pos;

  private PythonCondition(String text) {
    this.text = text;
    this.tokens = PythonTokens.split(text);
  }

  /** The jq boolean expression equivalent to the condition's truth in Python. */
  static String toJq(String condition) {
    PythonCondition p = new PythonCondition(condition);
    Term t = p.or();
    if (p.pos < p.tokens.size()) {
      throw p.unsupported("unexpected '" + p.tokens.get(p.pos) + "'");
    }
    return t.truth();
  }

  /** A parsed sub-expression: its jq value, and whether that value is already a boolean. */
  private record Term(String jq, boolean bool) {
    String truth() {
      return bool ? jq : JqText.pythonTruthy(jq);
    }
  }

  private Term or() {
    Term left = and();
    while (accept("or")) {
      left = new Term("(" + left.truth() + " or " + and().truth() + ")", true);
    }
    return left;
  }

  private Term and() {
    Term left = not();
    while (accept("and")) {
      left = new Term("(" + left.truth() + " and " + not().truth() + ")", true);
    }
    return left;
  }

  private Term not() {
    if (accept("not")) {
      return new Term("(" + not().truth() + " | not)", true);
    }
    return comparison();
  }

  private Term comparison() {
    Term left = atom();
    if (pos < tokens.size() && COMPARISONS.contains(tokens.get(pos))) {
      String op = tokens.get(pos++);
      Term right = atom();
      if (pos < tokens.size() && COMPARISONS.contains(tokens.get(pos))) {
        throw unsupported("chained comparisons");
      }
      return new Term("((" + left.jq + ") " + op + " (" + right.jq + "))", true);
    }
    return left;
  }

  private Term atom() {
    if (pos >= tokens.size()) {
      throw unsupported("the expression ends too early");
    }
    String t = tokens.get(pos++);
    if (t.equals("(")) {
      Term inner = or();
      expect(")");
      return inner;
    }
    if (t.equals("INPUT")) {
      return new Term(accessors(), false);
    }
    switch (t) {
      case "True", "true":
        return new Term("true", true);
      case "False", "false":
        return new Term("false", true);
      case "None":
        return new Term("null", false);
      default:
        break;
    }
    if (PythonTokens.isNumber(t)) {
      return new Term(t, false);
    }
    if (PythonTokens.isString(t)) {
      return new Term(JqText.string(PythonTokens.unquote(t)), false);
    }
    throw unsupported("'" + t + "' (only INPUT and literals can be operands)");
  }

  private String accessors() {
    StringBuilder path = new StringBuilder();
    while (pos < tokens.size()) {
      if (accept(".")) {
        String name = next("a field name after '.'");
        if (!PythonTokens.isIdentifier(name)) {
          throw unsupported("'." + name + "'");
        }
        path = new StringBuilder(JqText.field(path.toString(), name));
      } else if (accept("[")) {
        String key = next("a key after '['");
        expect("]");
        if (PythonTokens.isString(key)) {
          path = new StringBuilder(JqText.field(path.toString(), PythonTokens.unquote(key)));
        } else if (key.matches("-?\\d+")) {
          path.append(path.length() == 0 ? "." : "").append('[').append(key).append(']');
        } else {
          throw unsupported("index '" + key + "'");
        }
      } else if (pos < tokens.size() && tokens.get(pos).equals("(")) {
        throw unsupported("calls");
      } else {
        break;
      }
    }
    return path.length() == 0 ? "." : path.toString();
  }

  private boolean accept(String token) {
    if (pos < tokens.size() && tokens.get(pos).equals(token)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(String token) {
    if (!accept(token)) {
      throw unsupported("expected '" + token + "'");
    }
  }

  private String next(String what) {
    if (pos >= tokens.size()) {
      throw unsupported("expected " + what);
    }
    return tokens.get(pos++);
  }

  private IllegalArgumentException unsupported(String what) {
    return new IllegalArgumentException(
        "unsupported switch condition '"
            + text
            + "': "
            + what
            + "; write INPUT.<field> or INPUT['<field>'], literals, comparisons (== != < > <= >=)"
            + " joined by and/or/not");
  }
}
