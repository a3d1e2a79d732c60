package io.sluice.model.asl;

import java.util.ArrayList;
import java.util.List;

/**
 * Translates an intrinsic function call ({@code States.Format('{} {}', $.a, 'b')}) into jq.
 * Arguments are string literals in single quotes (escapes {@code \' \{ \} \\}), numbers, {@code
 * true}/{@code false}/{@code null}, paths ({@code $.x}, {@code $$.Execution.Input}) and nested
 * calls. See docs/importers.md for each function's translation.
 */
final class AslIntrinsics {
  private final String text;
  private final String base;
  private final AslContext ctx;
  private int pos;

  private AslIntrinsics(String text, String base, AslContext ctx) {
    this.text = text;
    this.base = base;
    this.ctx = ctx;
  }

  static boolean isCall(String s) {
    return s.startsWith("States.");
  }

  /** jq for {@code text} (a call) evaluated over {@code base}. */
  static String jq(String text, String base, AslContext ctx) {
    AslIntrinsics p = new AslIntrinsics(text.trim(), base, ctx);
    String out = p.call();
    p.skipSpace();
    if (p.pos != p.text.length()) {
      throw p.bad("unexpected '" + p.text.substring(p.pos) + "' after the call");
    }
    return out;
  }

  private AslException bad(String why) {
    return new AslException("bad intrinsic function '" + text + "': " + why);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  /** An argument: its jq, and the literal string when it is one (States.Format's template). */
  private record Arg(String jq, String literal) {}

  private String call() {
    int open = text.indexOf('(', pos);
    if (open < 0) {
      throw bad("no '('");
    }
    String name = text.substring(pos, open).trim();
    pos = open + 1;
    List<Arg> args = new ArrayList<>();
    skipSpace();
    if (pos < text.length() && text.charAt(pos) == ')') {
      pos++;
    } else {
      while (true) {
        skipSpace();
        args.add(arg());
        skipSpace();
        if (pos >= text.length()) {
          throw bad("missing ')'");
        }
        char c = text.charAt(pos++);
        if (c == ')') {
          break;
        }
        if (c != ',') {
          throw bad("expected ',' or ')' at " + (pos - 1));
        }
      }
    }
    return render(name, args);
  }

  private Arg arg() {
    char c = text.charAt(pos);
    if (c == '\'') {
      StringBuilder s = new StringBuilder();
      pos++;
      while (pos < text.length() && text.charAt(pos) != '\'') {
        char ch = text.charAt(pos++);
        if (ch == '\\' && pos < text.length()) {
          ch = text.charAt(pos++);
          if (ch == '{' || ch == '}') {
            s.append('\\'); // kept escaped so States.Format can tell it from a placeholder
          }
        }
        s.append(ch);
      }
      if (pos >= text.length()) {
        throw bad("unterminated string");
      }
      pos++;
      String lit = s.toString();
      return new Arg(JqStrings.literal(lit.replace("\\{", "{").replace("\\}", "}")), lit);
    }
    if (text.startsWith("States.", pos)) {
      return new Arg(call(), null);
    }
    int start = pos;
    int depth = 0;
    char quote = 0;
    while (pos < text.length()) {
      char ch = text.charAt(pos);
      if (quote != 0) {
        quote = ch == quote ? 0 : quote;
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
      } else if (ch == '[' || ch == '(') {
        depth++;
      } else if (ch == ']' || (ch == ')' && depth > 0)) {
        depth--;
      } else if (depth == 0 && (ch == ',' || ch == ')')) {
        break;
      }
      pos++;
    }
    String tok = text.substring(start, pos).trim();
    if (tok.startsWith("$")) {
      return new Arg(AslPath.parse(tok).jq(base, ctx), null);
    }
    if (tok.equals("true") || tok.equals("false") || tok.equals("null")) {
      return new Arg(tok, null);
    }
    try {
      return new Arg(new java.math.BigDecimal(tok).toString(), null);
    } catch (NumberFormatException e) {
      throw bad("argument '" + tok + "' is not a string, number, boolean, null, path or call");
    }
  }

  private String render(String name, List<Arg> a) {
    return switch (name) {
      case "States.Format" -> format(a);
      case "States.StringToJson" -> unary(a, name, "fromjson");
      case "States.JsonToString" -> unary(a, name, "tojson");
      case "States.Array" -> "[" + String.join(", ", a.stream().map(Arg::jq).toList()) + "]";
      case "States.ArrayPartition" ->
          n(a, name, 2)
              + "("
              + a.get(0).jq
              + ") as $a | ("
              + a.get(1).jq
              + ") as $n | if $n <= 0 then error(\"States.Runtime: States.ArrayPartition chunk size"
              + " must be positive\") else [range(0; $a | length; $n) as $i | $a[$i:$i + $n]] end)";
      case "States.ArrayContains" ->
          n(a, name, 2)
              + "("
              + a.get(1).jq
              + ") as $v | ("
              + a.get(0).jq
              + ") | map(. == $v) | any)";
      case "States.ArrayRange" ->
          n(a, name, 3)
              + "("
              + a.get(0).jq
              + ") as $f | ("
              + a.get(1).jq
              + ") as $t | ("
              + a.get(2).jq
              + ") as $s | if $s == 0 then error(\"States.Runtime: States.ArrayRange step must not be"
              + " 0\") else [range($f; $t + (if $s > 0 then 1 else -1 end); $s)] end)";
      case "States.ArrayGetItem" ->
          n(a, name, 2) + "(" + a.get(0).jq + ") as $a | (" + a.get(1).jq + ") as $i | $a[$i])";
      case "States.ArrayLength" -> unary(a, name, "length");
      case "States.ArrayUnique" ->
          unary(a, name, "reduce .[] as $x ([]; if (map(. == $x) | any) then . else . + [$x] end)");
      case "States.Base64Encode" -> unary(a, name, "@base64");
      case "States.Base64Decode" -> unary(a, name, "@base64d");
      case "States.Hash" ->
          n(a, name, 2) + "[" + a.get(0).jq + ", " + a.get(1).jq + "] | asl_hash)";
      case "States.JsonMerge" ->
          n(a, name, 3)
              + "("
              + a.get(2).jq
              + ") as $deep | ("
              + a.get(0).jq
              + ") as $l | ("
              + a.get(1).jq
              + ") as $r | if $deep then $l * $r else $l + $r end)";
      case "States.MathRandom" -> {
        if (a.size() != 2 && a.size() != 3) {
          throw bad("States.MathRandom takes 2 or 3 arguments, got " + a.size());
        }
        yield "([" + String.join(", ", a.stream().map(Arg::jq).toList()) + "] | asl_random)";
      }
      case "States.MathAdd" -> n(a, name, 2) + "(" + a.get(0).jq + ") + (" + a.get(1).jq + "))";
      case "States.StringSplit" ->
          n(a, name, 2)
              + "("
              + a.get(1).jq
              + " | explode) as $d | ("
              + a.get(0).jq
              + ") | reduce explode[] as $c ([[]]; if ($d | map(. == $c) | any) then . + [[]]"
              + " else .[:-1] + [.[-1] + [$c]] end) | map(implode))";
      case "States.UUID" -> n(a, name, 0) + "asl_uuid)";
      default ->
          throw new AslException(
              "intrinsic function '" + name + "' not supported (in '" + text + "')");
    };
  }

  private String n(List<Arg> a, String name, int count) {
    if (a.size() != count) {
      throw bad(name + " takes " + count + " argument(s), got " + a.size());
    }
    return "(";
  }

  private String unary(List<Arg> a, String name, String jq) {
    return n(a, name, 1) + "(" + a.get(0).jq + ") | " + jq + ")";
  }

  private String format(List<Arg> a) {
    if (a.isEmpty() || a.get(0).literal == null) {
      throw bad("States.Format's first argument must be a string literal");
    }
    String t = a.get(0).literal;
    List<String> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int next = 1;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '\\' && i + 1 < t.length()) {
        lit.append(t.charAt(++i));
      } else if (c == '{' && i + 1 < t.length() && t.charAt(i + 1) == '}') {
        if (next >= a.size()) {
          throw bad("States.Format has more '{}' than arguments");
        }
        parts.add(JqStrings.literal(lit.toString()));
        lit.setLength(0);
        parts.add(
            "(("
                + a.get(next++).jq
                + ") | if type == \"string\" then . elif type == \"object\" or type == \"array\""
                + " then error(\"States.Runtime: States.Format takes no objects or arrays\")"
                + " else tojson end)");
        i++;
      } else {
        lit.append(c);
      }
    }
    if (next != a.size()) {
      throw bad("States.Format has " + (a.size() - 1) + " arguments for " + (next - 1) + " '{}'");
    }
    parts.add(JqStrings.literal(lit.toString()));
    return "(" + String.join(" + ", parts) + ")";
  }
}
