package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run} of a workflow with a schedule runs it once and says so in one line. */
class ScheduleRunCliTest {

  @Test
  void runStartsAScheduledWorkflowOnceAndSaysTheMasterFollowsTheSchedule(@TempDir Path tmp)
      throws Exception {
    Path wf = tmp.resolve("tick.yaml");
    Files.writeString(
        wf,
        "document: {dsl: '1.0.2', namespace: test, name: tick, version: '1'}\n"
            + "schedule: {cron: '*/5 * * * *'}\n"
            + "do:\n  - a: {set: {ok: true}}\n");
    CliTest.Result r = CliTest.sluice("run", wf.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("\"ok\" : true");
    assertThat(r.err().lines())
        .containsExactly(
            "sluice: schedule (cron */5 * * * *) not followed by run, which starts one instance"
                + " now; a cluster's master follows it once the workflow is registered (sluice"
                + " submit)");
  }
}
