package io.sluice.model.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

/**
 * What one jq evaluation may spend: a time budget and a number of steps (calls of builtin functions
 * and values they emit). jq from a definition runs on the engine's threads, so a runaway expression
 * ({@code reduce range(0;1e15) ...}, {@code [range(0;1e10)]}, {@code [repeat(1)]}) must end with an
 * error instead of holding a thread or filling the heap. Every builtin of the evaluator's root
 * scope is wrapped to count its calls and emitted values here; the clock is read every 1,024 steps.
 *
 * <p>Defaults: 1 s and 10,000,000 steps per evaluation; the system properties {@code
 * sluice.jq.timeBudget} (a duration such as {@code 5s}) and {@code sluice.jq.stepBudget} change
 * them. The error is a {@link RuntimeException}, not a {@link JsonQueryException}, so jq's own
 * {@code try} cannot swallow it; once spent, the budget stays spent for the rest of the evaluation.
 */
final class JqBudget {
  static final long DEFAULT_STEPS = 10_000_000L;
  static final Duration DEFAULT_TIME = Duration.ofSeconds(1);

  private static final long STEPS = Long.getLong("sluice.jq.stepBudget", DEFAULT_STEPS);
  private static final long TIME_NANOS = timeNanos();
  private static final ThreadLocal<JqBudget> CURRENT = new ThreadLocal<>();

  private long stepsLeft;
  private final long deadline;
  private final long steps;
  private final long timeNanos;

  private JqBudget(long steps, long timeNanos) {
    this.steps = steps;
    this.timeNanos = timeNanos;
    this.stepsLeft = steps;
    this.deadline = System.nanoTime() + timeNanos;
  }

  /** Thrown when an evaluation spends its budget. */
  static final class Exceeded extends RuntimeException {
    Exceeded(String message) {
      super(message, null, false, false);
    }
  }

  private static long timeNanos() {
    String t = System.getProperty("sluice.jq.timeBudget");
    return t == null ? DEFAULT_TIME.toNanos() : io.sluice.model.format.Durations.parse(t).toNanos();
  }

  /** Starts a budget for an evaluation on this thread; returns the one it replaces (nesting). */
  static JqBudget begin() {
    JqBudget previous = CURRENT.get();
    CURRENT.set(new JqBudget(STEPS, TIME_NANOS));
    return previous;
  }

  static void end(JqBudget previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  static void step() {
    JqBudget b = CURRENT.get();
    if (b != null) {
      b.spend();
    }
  }

  private void spend() {
    long left = --stepsLeft;
    if (left < 0) {
      stepsLeft = -1;
      throw new Exceeded(
          "used more than its budget of "
              + steps
              + " steps (builtin calls and values); jq from a definition must stay small");
    }
    if ((left & 1023) == 0 && System.nanoTime() - deadline > 0) {
      stepsLeft = -1;
      throw new Exceeded(
          "ran longer than its budget of "
              + io.sluice.model.format.Durations.format(Duration.ofNanos(timeNanos))
              + "; jq from a definition must stay small");
    }
  }

  /** Replaces every function of {@code scope} with one that counts against the budget. */
  static void meter(Scope scope) {
    // getLocalFunctions() returns a copy; addFunction(key, f) replaces under the same name/arity
    for (Map.Entry<String, Function> e : scope.getLocalFunctions().entrySet()) {
      scope.addFunction(e.getKey(), new Metered(e.getValue()));
    }
  }

  private record Metered(Function inner) implements Function {
    @Override
    public void apply(
        Scope scope,
        List<Expression> args,
        JsonNode in,
        Path path,
        PathOutput output,
        Version version)
        throws JsonQueryException {
      step();
      inner.apply(
          scope,
          args,
          in,
          path,
          (v, p) -> {
            step();
            output.emit(v, p);
          },
          version);
    }
  }
}
