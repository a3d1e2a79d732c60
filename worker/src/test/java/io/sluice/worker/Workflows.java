package io.sluice.worker;

import java.util.List;
import java.util.function.IntFunction;

/** Native definitions the worker tests deploy. */
final class Workflows {
  private Workflows() {}

  static final String CHAIN =
      """
      sluice: "1.0"
      name: chain
      version: "1"
      functions:
        inc: {runtime: java}
      nodes:
        - {id: a, type: task, function: inc, next: b}
        - {id: b, type: task, function: inc, next: c}
        - {id: c, type: task, function: inc}
      """;

  static final String WAITER =
      """
      sluice: "1.0"
      name: waiter
      version: "1"
      functions:
        id: {runtime: java}
      nodes:
        - id: approval
          type: event
          eventType: com.example.approved
          correlation: .data.orderId == $input.orderId
          timeout: PT20S
          next: done
        - {id: done, type: task, function: id, output: '{approved: .orderId}'}
      """;

  /** src -> m0..m(n-1) -> join, join = sum of the m outputs (each input + 1). */
  static String fan(int n) {
    StringBuilder b =
        new StringBuilder(
            """
            sluice: "1.0"
            name: fan
            version: "1"
            functions:
              inc: {runtime: java}
              id: {runtime: java}
            start: src
            nodes:
            """);
    b.append("  - {id: src, type: task, function: id, next: [")
        .append(String.join(", ", names(n, i -> "m" + i)))
        .append("]}\n");
    for (int i = 0; i < n; i++) {
      b.append("  - {id: m").append(i).append(", type: task, function: inc, next: join}\n");
    }
    b.append("  - {id: join, type: pass, output: '[.[]] | add'}\n");
    return b.toString();
  }

  /** A chain of {@code n} no-op java tasks n0 -> n1 -> ... */
  static String noopChain(String name, int n) {
    StringBuilder b =
        new StringBuilder("sluice: \"1.0\"\nname: " + name + "\nversion: \"1\"\n")
            .append("functions:\n  noop: {runtime: java, name: sluice.noop}\nnodes:\n");
    for (int i = 0; i < n; i++) {
      b.append("  - {id: n").append(i).append(", type: task, function: noop");
      b.append(i + 1 < n ? ", next: n" + (i + 1) + "}\n" : "}\n");
    }
    return b.toString();
  }

  private static List<String> names(int n, IntFunction<String> f) {
    return java.util.stream.IntStream.range(0, n).mapToObj(f).toList();
  }
}
