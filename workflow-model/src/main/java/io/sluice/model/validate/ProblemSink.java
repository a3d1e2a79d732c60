package io.sluice.model.validate;

import io.sluice.model.Location;
import io.sluice.model.Problem;
import java.util.List;

/** Collects problems of one (possibly inner) graph, naming nodes with the outer node's path. */
record ProblemSink(List<Problem> problems, String prefix) {

  void add(Location at, String nodeId, String message) {
    String who =
        nodeId == null
            ? (prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1))
            : prefix + nodeId;
    problems.add(new Problem(at, who, message));
  }

  ProblemSink inner(String nodeId) {
    return new ProblemSink(problems, prefix + nodeId + "/");
  }
}
