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
 * <p>A third bound is memory: the bytes the evaluating thread allocates, read at every step, so
 * that a value that doubles on each step ({@code reduce range(0;64) as $i ("x"; . + .)}) stops long
 * before it fills the heap. Regular expressions are bounded by the time budget too ({@link
 * JqRegexGuard}).
 *
 * <p>Defaults: 1 s, 10,000,000 steps and 1 GiB allocated (or a quarter of the heap, if less) per
 * evaluation; the system properties {@code sluice.jq.timeBudget} (a duration such as {@code 5s}),
 * {@code sluice.jq.stepBudget} and {@code sluice.jq.memoryBudget} (a size such as {@code 256MiB})
 * change them. The error is a {@link RuntimeException}, not a {@link JsonQueryException}, so jq's
 * own {@code try} cannot swallow it; once spent, the budget stays spent for the rest of the
 * evaluation.
 */
final class JqBudget {
  static final long DEFAULT_STEPS = 10_000_000L;
  static final Duration DEFAULT_TIME = Duration.ofSeconds(1);

  /** 1 GiB, or a quarter of the heap if that is less, so that the budget ends before the heap. */
  static final long DEFAULT_MEMORY = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);

  private static final long STEPS = Long.getLong("sluice.jq.stepBudget", DEFAULT_STEPS);
  private static final long TIME_NANOS = timeNanos();
  private static final long MEMORY = memory();
  private static final ThreadLocal<JqBudget> CURRENT = new ThreadLocal<>();

  /** The thread allocation counter, where the JVM has one (HotSpot does); else no memory bound. */
  private static final com.sun.management.ThreadMXBean THREADS = threads();

  private long stepsLeft;
  private final long deadline;
  private final long steps;
  private final long timeNanos;
  private final long allocatedAtStart;
  private long allocatedAtLastClock;

  /** Bytes allocated between two reads of the clock at most (besides every 1,024 steps). */
  private static final long CLOCK_EVERY_BYTES = 4L << 20;

  private JqBudget(long steps, long timeNanos) {
    this.steps = steps;
    this.timeNanos = timeNanos;
    this.stepsLeft = steps;
    this.deadline = System.nanoTime() + timeNanos;
    this.allocatedAtStart = allocated();
    this.allocatedAtLastClock = allocatedAtStart;
  }

  private static com.sun.management.ThreadMXBean threads() {
    try {
      com.sun.management.ThreadMXBean t =
          (com.sun.management.ThreadMXBean)
              java.lang.management.ManagementFactory.getThreadMXBean();
      return t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled() ? t : null;
    } catch (ClassCastException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static long allocated() {
    return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
  }

  private static long memory() {
    String m = System.getProperty("sluice.jq.memoryBudget");
    return m == null ? DEFAULT_MEMORY : io.sluice.model.format.ByteSizes.parse(m);
  }

  /** The nanoseconds left to the evaluation on this thread, or -1 if none runs. */
  static long nanosLeft() {
    JqBudget b = CURRENT.get();
    return b == null ? -1 : Math.max(1, b.deadline - System.nanoTime());
  }

  /** Throws {@link Exceeded} if the evaluation on this thread is past its time budget. */
  static void checkTime() {
    JqBudget b = CURRENT.get();
    if (b != null && System.nanoTime() - b.deadline > 0) {
      b.stepsLeft = -1;
      throw b.late();
    }
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
    long allocated = allocated();
    if (THREADS != null && allocated - allocatedAtStart > MEMORY) {
      stepsLeft = -1;
      throw new Exceeded(
          "allocated more than its budget of "
              + io.sluice.model.format.ByteSizes.format(MEMORY)
              + "; jq from a definition must stay small");
    }
    // the clock every 1,024 steps, and after every step that allocated much (a step that builds
    // a large value also takes long: a few such steps would outlast the budget unseen)
    if ((left & 1023) == 0 || allocated - allocatedAtLastClock > CLOCK_EVERY_BYTES) {
      allocatedAtLastClock = allocated;
      if (System.nanoTime() - deadline > 0) {
        stepsLeft = -1;
        throw late();
      }
    }
  }

  private Exceeded late() {
    return new Exceeded(
        "ran longer than its budget of "
            + io.sluice.model.format.Durations.format(Duration.ofNanos(timeNanos))
            + "; jq from a definition must stay small");
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
