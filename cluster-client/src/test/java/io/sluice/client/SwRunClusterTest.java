package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.ExecutionMode;
import io.sluice.model.DefinitionException;
import io.sluice.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run: workflow} on a cluster: a Serverless Workflow definition registered on the master
 * runs the sub-workflows registered there before it (by namespace, name and version, {@code latest}
 * the greatest), as well as those beside its file; the workers, which read the same text, get the
 * registered sub-workflows with the deployment.
 */
@IntegrationTest // a master and two workers over gRPC on loopback
class SwRunClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String child(String name, String version, String expr) {
    return "document: {dsl: '1.0.0', namespace: lib, name: "
        + name
        + ", version: '"
        + version
        + "'}\ndo:\n  - step: {set: {n: '${ "
        + expr
        + " }', v: '"
        + version
        + "'}}\n";
  }

  @Test
  void runWorkflowResolvesAmongTheRegisteredDefinitionsAndTheFilesBesideIt(@TempDir Path dir)
      throws Exception {
    // a registered child whose file the master cannot see (another folder, since removed)
    Path away = dir.resolve("away");
    Files.createDirectories(away);
    Path beside = dir.resolve("app");
    Files.createDirectories(beside);
    Files.writeString(beside.resolve("inc.yaml"), child("inc", "1.0.0", ".n + 1"));
    String parent =
        """
        document: {dsl: '1.0.0', namespace: app, name: parent, version: '1.0.0'}
        do:
          - pinned:
              run: {workflow: {namespace: lib, name: double, version: '1.2.0'}}
          - latest:
              run: {workflow: {namespace: lib, name: double}}
          - local:
              run: {workflow: {namespace: lib, name: inc, version: '1.0.0'}}
        """;
    try (LocalCluster cluster = new LocalCluster(2)) {
      var master = cluster.master();
      for (String v : new String[] {"1.2.0", "1.10.0", "1.9.0"}) {
        master.registerWorkflow(
            away.resolve("double-" + v + ".yaml").toString(),
            child("double", v, ".n * 2"),
            "",
            "",
            "");
      }
      WorkflowKey key =
          master
              .registerWorkflow(beside.resolve("parent.yaml").toString(), parent, "", "", "")
              .workflow()
              .key();
      var end =
          master
              .invoke(key, JSON.readTree("{\"n\": 1}"), ExecutionMode.WORKER, null, "sw-run-1")
              .done()
              .get(60, TimeUnit.SECONDS);
      assertThat(end.state()).as("%s", end).isEqualTo(InstanceState.COMPLETED);
      // 1 * 2 (1.2.0), * 2 (1.10.0, the greatest), + 1 (the file beside the parent)
      assertThat(end.output()).isEqualTo(JSON.readTree("{\"n\": 5, \"v\": \"1.0.0\"}"));

      String missing = parent.replace("version: '1.2.0'", "version: '2.0.0'");
      assertThatThrownBy(
              () ->
                  master.registerWorkflow(
                      beside.resolve("broken.yaml").toString(), missing, "", "", ""))
          .isInstanceOf(DefinitionException.class)
          .hasMessageContaining("task pinned: run: workflow lib/double:2.0.0 not found")
          .hasMessageContaining("beside this one (" + beside)
          .hasMessageContaining("nor in the master's registry");
    }
  }
}
