package io.sluice.model.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.misc.OnigUtils;
import net.thisptr.jackson.jq.path.Path;
import org.joni.Matcher;
import org.joni.Option;

/**
 * Bounds jq's regular expressions ({@code test}, {@code match}, {@code capture}, {@code scan},
 * {@code split/2}, {@code sub}, {@code gsub}: all go through the builtins {@code _match_impl/3} and
 * {@code _sub_impl/3}) by the evaluation's time budget. jackson-jq searches with a Joni matcher
 * that has no time limit, and a pattern like {@code (a+)+$} on a few dozen characters backtracks
 * for hours, holding the engine thread. This guard first runs the same searches (same pattern,
 * flags and global loop as the builtin) on a matcher limited to the time left in the budget; only
 * if they finish does the builtin run (so at most twice the work of the searches, inside the
 * budget).
 */
final class JqRegexGuard implements Function {
  private final Function inner;
  private final int flagsArg;

  /**
   * @param inner the builtin
   * @param flagsArg which argument holds the flags (1 for {@code _match_impl}, 2 for {@code
   *     _sub_impl})
   */
  JqRegexGuard(Function inner, int flagsArg) {
    this.inner = inner;
    this.flagsArg = flagsArg;
  }

  /** Guards the regex builtins of {@code scope}, after {@link JqBudget#meter} or before. */
  static void install(Scope scope) {
    Function match = scope.getFunction("_match_impl", 3);
    if (match != null) {
      scope.addFunction("_match_impl", 3, new JqRegexGuard(match, 1));
    }
    Function sub = scope.getFunction("_sub_impl", 3);
    if (sub != null) {
      scope.addFunction("_sub_impl", 3, new JqRegexGuard(sub, 2));
    }
  }

  @Override
  public void apply(
      Scope scope,
      List<Expression> args,
      JsonNode in,
      Path path,
      PathOutput output,
      Version version)
      throws JsonQueryException {
    long nanos = JqBudget.nanosLeft();
    if (nanos > 0 && in != null && in.isTextual()) {
      byte[] text = in.asText().getBytes(StandardCharsets.UTF_8);
      for (JsonNode regex : values(scope, args.get(0), in)) {
        for (JsonNode flags : values(scope, args.get(flagsArg), in)) {
          if (regex.isTextual() && (flags.isTextual() || flags.isNull())) {
            search(regex.asText(), flags.isNull() ? null : flags.asText(), text, flagsArg == 2);
          }
        }
      }
    }
    inner.apply(scope, args, in, path, output, version);
  }

  private static List<JsonNode> values(Scope scope, Expression e, JsonNode in)
      throws JsonQueryException {
    List<JsonNode> out = new ArrayList<>(1);
    e.apply(scope, in, out::add);
    return out;
  }

  /**
   * The builtin's search loop on a matcher that stops at the budget's deadline. {@code _sub_impl}
   * resumes at the end of each match, so a global pattern that matches the empty string would loop
   * forever there (as in jq 1.6 itself): that is an error here.
   */
  private static void search(String regex, String flags, byte[] text, boolean sub)
      throws JsonQueryException {
    OnigUtils.Pattern p;
    try {
      p = new OnigUtils.Pattern(regex, flags);
    } catch (JsonQueryException | RuntimeException e) {
      return; // a bad pattern or flags: the builtin reports it
    }
    Matcher m = p.regex.matcher(text, 0, text.length, JqBudget.nanosLeft());
    int offset = 0;
    do {
      int found = m.search(offset, text.length, Option.NONE);
      if (found == Matcher.INTERRUPTED) {
        JqBudget.checkTime();
        throw new JqBudget.Exceeded(
            "regular expression '" + regex + "' ran longer than the evaluation's time budget");
      }
      if (found < 0) {
        return;
      }
      if (m.getEnd() == offset) {
        if (sub && p.global) {
          throw new JsonQueryException(
              "gsub (or sub with \"g\") with a pattern that matches the empty string never"
                  + " ends: '"
                  + regex
                  + "'");
        }
        offset++;
      } else {
        offset = m.getEnd();
      }
    } while (p.global && offset < text.length);
  }
}
