package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.config.ClusterConfig;
import io.sluice.runtime.security.RunAs;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A root worker whose security.runAs names no user of this host does not start. */
class WorkerRunAsTest {
  @Test
  void aMissingRunAsUserStopsARootWorkerAtStart() {
    Assumptions.assumeTrue(
        RunAs.isRoot(), "this test runs as uid != 0: only a root worker changes user");
    ClusterConfig config =
        ClusterConfig.parse(
            "c.yaml",
            "name: runas\nmaster: {host: 127.0.0.1, grpcPort: 1, httpPort: 2}\n"
                + "security: {runAs: sluice-no-such-user}\n"
                + "workers:\n  - {id: w1, host: 127.0.0.1, grpcPort: 3, httpPort: 4}\n",
            Map.of());
    assertThatThrownBy(() -> WorkerProcess.start(config, "w1", WorkerProcess.Options.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "security.runAs: user 'sluice-no-such-user' does not exist on this host");
  }
}
