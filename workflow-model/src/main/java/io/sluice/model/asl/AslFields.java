package io.sluice.model.asl;

import java.util.Map;
import java.util.Set;

/** Which fields each state type may have here, and which ASL fields are not supported. */
final class AslFields {
  private AslFields() {}

  private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
  private static final Set<String> ASSIGN = Set.of("Assign");
  private static final Set<String> IO = Set.of("InputPath", "OutputPath");
  private static final Set<String> FLOW = Set.of("Next", "End");
  private static final Set<String> RESULT =
      Set.of("Parameters", "ResultSelector", "ResultPath", "Retry", "Catch");

  static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "Task",
          union(COMMON, IO, FLOW, RESULT, ASSIGN, Set.of("Resource", "TimeoutSeconds")),
          "Pass",
          union(COMMON, IO, FLOW, ASSIGN, Set.of("Result", "ResultPath", "Parameters")),
          "Choice",
          union(COMMON, IO, ASSIGN, Set.of("Choices", "Default")),
          "Wait",
          union(
              COMMON,
              IO,
              FLOW,
              ASSIGN,
              Set.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")),
          "Succeed",
          union(COMMON, IO),
          "Fail",
          union(COMMON, Set.of("Error", "Cause")),
          "Parallel",
          union(COMMON, IO, FLOW, RESULT, ASSIGN, Set.of("Branches")),
          "Map",
          union(
              COMMON,
              IO,
              FLOW,
              RESULT,
              ASSIGN,
              Set.of("Iterator", "ItemProcessor", "ItemsPath", "ItemSelector", "MaxConcurrency")));

  /** ASL fields this importer knows and does not translate, with why. */
  static final Map<String, String> UNSUPPORTED =
      Map.ofEntries(
          Map.entry("HeartbeatSeconds", "Sluice has no heartbeat call for running functions"),
          Map.entry("HeartbeatSecondsPath", "Sluice has no heartbeat call for running functions"),
          Map.entry("TimeoutSecondsPath", "timeouts are static in a Sluice graph"),
          Map.entry("Credentials", "cross-account credentials are the runtime's settings"),
          Map.entry(
              "Arguments",
              "Arguments belongs to the JSONata query language (QueryLanguage: JSONata)"),
          Map.entry(
              "Output", "Output belongs to the JSONata query language (QueryLanguage: JSONata)"),
          Map.entry("ErrorPath", "a Fail state's error is static in a Sluice graph"),
          Map.entry("CausePath", "a Fail state's cause is static in a Sluice graph"),
          Map.entry("ItemReader", "distributed maps (ItemReader) are not supported"),
          Map.entry("ItemBatcher", "distributed maps (ItemBatcher) are not supported"),
          Map.entry("ResultWriter", "distributed maps (ResultWriter) are not supported"),
          Map.entry("ToleratedFailurePercentage", "tolerated failures are not supported"),
          Map.entry("ToleratedFailureCount", "tolerated failures are not supported"),
          Map.entry("ToleratedFailurePercentagePath", "tolerated failures are not supported"),
          Map.entry("ToleratedFailureCountPath", "tolerated failures are not supported"),
          Map.entry("MaxConcurrencyPath", "a map's concurrency is static in a Sluice graph"),
          Map.entry("Label", "distributed maps (Label) are not supported"));

  private static final Set<String> JSONPATH_ONLY =
      Set.of(
          "InputPath",
          "OutputPath",
          "Parameters",
          "ResultSelector",
          "ResultPath",
          "ItemsPath",
          "Result");

  /** The fields of a state of {@code type} in the JSONata query language. */
  static Set<String> allowed(String type, boolean jsonata) {
    if (!jsonata) {
      return ALLOWED.get(type);
    }
    java.util.Set<String> out = new java.util.HashSet<>(ALLOWED.get(type));
    out.removeAll(JSONPATH_ONLY);
    if (!type.equals("Fail")) {
      out.add("Output");
    }
    if (type.equals("Task") || type.equals("Parallel")) {
      out.add("Arguments");
    }
    if (type.equals("Map")) {
      out.add("Items");
    }
    return Set.copyOf(out);
  }

  /** Why a JSONPath field is refused in a JSONata state. */
  static boolean jsonPathOnly(String field) {
    return JSONPATH_ONLY.contains(field);
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (Set<String> s : sets) {
      out.addAll(s);
    }
    return Set.copyOf(out);
  }
}
