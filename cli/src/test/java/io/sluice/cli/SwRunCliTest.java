package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.client.LocalCluster;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice submit} of a Serverless Workflow whose {@code run: workflow} names a definition
 * submitted before from another folder: the master resolves it among its registered definitions.
 */
@IntegrationTest // a master and two workers in this JVM over gRPC
class SwRunCliTest {
  @Test
  void aSubmittedWorkflowRunsASubWorkflowRegisteredBeforeIt(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path app = Files.createDirectories(dir.resolve("app"));
    Path child = lib.resolve("square.yaml");
    Files.writeString(
        child,
        """
        document: {dsl: '1.0.0', namespace: lib, name: square, version: '2.0.0'}
        do:
          - sq: {set: {n: '${ .n * .n }'}}
        """);
    Path parent = app.resolve("parent.yaml");
    Files.writeString(
        parent,
        """
        document: {dsl: '1.0.0', namespace: app, name: parent, version: '1.0.0'}
        do:
          - three: {set: {n: 3}}
          - square:
              run: {workflow: {namespace: lib, name: square}}
        """);
    try (LocalCluster cluster = new LocalCluster(2)) {
      String master = cluster.address();
      var first =
          sluice("submit", "--master", master, child.toString(), "--input", "{\"n\": 2}", "--wait");
      assertThat(first.exit()).as(first.err() + first.out()).isZero();
      var r = sluice("submit", "--master", master, parent.toString(), "--wait", "--json");
      assertThat(r.exit()).as(r.err() + r.out()).isZero();
      assertThat(r.json().get("output").get("n").asInt()).isEqualTo(9);

      Files.writeString(
          app.resolve("broken.yaml"),
          Files.readString(parent)
              .replace("name: parent", "name: broken")
              .replace("name: square}", "name: square, version: '3.0.0'}"));
      var broken =
          sluice("submit", "--master", master, app.resolve("broken.yaml").toString(), "--wait");
      assertThat(broken.exit()).isNotZero();
      assertThat(broken.err())
          .contains("task square: run: workflow lib/square:3.0.0 not found")
          .contains("beside this one (" + app)
          .contains("nor in the master's registry");
    }
  }
}
