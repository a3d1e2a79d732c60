package io.sluice.model.sw;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link SwWorkflows} in effect on this thread and the sources used of it; and the workflows
 * {@code run: workflow} is resolving, to stop a registered workflow that runs itself.
 */
final class SwWorkflowScope {
  private static final ThreadLocal<SwWorkflowScope> CURRENT = new ThreadLocal<>();
  private static final ThreadLocal<Deque<String>> RESOLVING =
      ThreadLocal.withInitial(ArrayDeque::new);

  final SwWorkflows workflows;
  private final List<SwWorkflows.Source> used;

  private SwWorkflowScope(SwWorkflows workflows, List<SwWorkflows.Source> used) {
    this.workflows = workflows;
    this.used = used;
  }

  static <T> T using(SwWorkflows w, List<SwWorkflows.Source> used, Supplier<T> body) {
    SwWorkflowScope before = CURRENT.get();
    CURRENT.set(new SwWorkflowScope(w, used));
    try {
      return body.get();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** The scope in effect, or null. */
  static SwWorkflowScope current() {
    return CURRENT.get();
  }

  void used(SwWorkflows.Source s) {
    if (!used.contains(s)) {
      used.add(s);
    }
  }

  /**
   * The registered workflows being read on this thread ({@code ns/name:version}), outermost first.
   */
  static Deque<String> resolving() {
    return RESOLVING.get();
  }
}
