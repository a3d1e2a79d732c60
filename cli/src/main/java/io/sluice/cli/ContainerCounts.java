package io.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.runtime.docker.DockerStats;

/**
 * Containers started and calls they answered in this JVM (its docker runtimes, the workers of
 * {@code run --workers N} included), taken before a run; {@link #report} adds the run's share to
 * its JSON as {@code containers}, when the run used containers at all.
 */
record ContainerCounts(long started, long calls) {
  static ContainerCounts now() {
    return new ContainerCounts(DockerStats.containersStarted(), DockerStats.calls());
  }

  void report(ObjectNode o) {
    ContainerCounts after = now();
    long s = after.started - started;
    long c = after.calls - calls;
    if (s > 0 || c > 0) {
      ObjectNode n = o.putObject("containers");
      n.put("started", s);
      n.put("calls", c);
    }
  }
}
