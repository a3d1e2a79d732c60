package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.LocalCluster;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice list workflows} shows the schedule the master armed and its next firing. */
@IntegrationTest // master and a worker in this JVM over gRPC
class ScheduleListCliTest {

  @Test
  void listWorkflowsShowsTheArmedScheduleAndItsNextFiring(@TempDir Path tmp) throws Exception {
    Path wf = tmp.resolve("yearly.yaml");
    Files.writeString(
        wf,
        "document: {dsl: '1.0.2', namespace: test, name: yearly, version: '1'}\n"
            + "schedule: {cron: '0 0 1 1 *'}\n"
            + "do:\n  - a: {set: {ok: true}}\n");
    try (LocalCluster cluster = new LocalCluster(1)) {
      var submit = sluice("submit", "--master", cluster.address(), wf.toString(), "--wait");
      assertThat(submit.exit()).as(submit.err()).isZero();
      var list = sluice("list", "workflows", "--master", cluster.address());
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out().lines())
          .anyMatch(
              l ->
                  l.startsWith("yearly@1  1 nodes")
                      && l.matches(".*  schedule cron 0 0 1 1 \\*, next \\d{4}-01-01T00:00:00Z"));
      var json = sluice("list", "workflows", "--master", cluster.address(), "--json");
      assertThat(json.json().get("workflows").get(0).get("schedule").asText())
          .isEqualTo("cron 0 0 1 1 *");
    }
  }
}
