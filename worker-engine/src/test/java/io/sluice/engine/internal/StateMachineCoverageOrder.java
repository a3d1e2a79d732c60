package io.sluice.engine.internal;

import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Orders the module's test classes (configured in junit-platform.properties): the engine's own
 * ({@code io.sluice.engine.*}) first, then {@link StateMachineCoverageTest}, then the rest, so the
 * coverage check counts exactly the rows the engine's tests exercised. It also turns row counting
 * on ({@code sluice.fsm.coverage}) before any engine class is loaded, and remembers which classes
 * the run holds, so the check knows whether it runs after the whole engine suite.
 */
public final class StateMachineCoverageOrder implements ClassOrderer {
  private static final Set<String> PLANNED = new TreeSet<>();

  public StateMachineCoverageOrder() {
    if (System.getProperty("sluice.fsm.coverage") == null) {
      System.setProperty("sluice.fsm.coverage", "true");
    }
  }

  @Override
  public void orderClasses(ClassOrdererContext context) {
    synchronized (PLANNED) {
      context.getClassDescriptors().forEach(d -> PLANNED.add(d.getTestClass().getName()));
    }
    context
        .getClassDescriptors()
        .sort(
            Comparator.comparingInt(StateMachineCoverageOrder::rank)
                .thenComparing(d -> d.getTestClass().getName()));
  }

  private static int rank(ClassDescriptor d) {
    Class<?> c = d.getTestClass();
    if (c == StateMachineCoverageTest.class) {
      return 1;
    }
    return c.getName().startsWith("io.sluice.engine.") ? 0 : 2;
  }

  /** The test classes this run holds. */
  static Set<String> planned() {
    synchronized (PLANNED) {
      return new TreeSet<>(PLANNED);
    }
  }
}
