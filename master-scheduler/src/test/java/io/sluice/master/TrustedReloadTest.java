package io.sluice.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.durable.MemoryJournal;
import io.sluice.runtime.security.FunctionAllowList;
import io.sluice.time.SystemScheduler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whether an admin registered a workflow survives a restart of a durable master, so its workers
 * keep running its functions; a submitter's registration is checked against the allow-list again
 * when read back.
 */
class TrustedReloadTest {
  private static final FunctionAllowList ECHO_ONLY =
      FunctionAllowList.of(List.of("/bin/echo"), List.of(), List.of(), List.of(), List.of());

  private static String workflow(String name, String command) {
    return "sluice: '1.0'\nname: "
        + name
        + "\nversion: '1'\nfunctions:\n  f: {runtime: process, command: ["
        + command
        + "]}\nnodes:\n  - {id: a, type: task, function: f}\n";
  }

  @Test
  void theAdminFlagIsJournaledAndUntrustedOnesAreCheckedAgain() {
    MemoryJournal journal = new MemoryJournal();
    try (SystemScheduler scheduler = new SystemScheduler(1)) {
      Master first = new Master(MasterOptions.defaults(), scheduler);
      first.allow(FunctionAllowList.ANY);
      first.journal(journal);
      first.registerWorkflow("a.yaml", workflow("adm", "id"), "", "", "", true);
      first.registerWorkflow("b.yaml", workflow("sub", "/bin/echo"), "", "", "", false);
      first.registerWorkflow("c.yaml", workflow("old", "id"), "", "", "", false); // allowed then
      first.close();

      Master second = new Master(MasterOptions.defaults(), scheduler);
      second.allow(ECHO_ONLY);
      second.journal(journal);
      assertThat(second.workflows("").stream().map(w -> w.key().name() + "=" + w.trusted()))
          .containsExactly("adm=true", "sub=false"); // "old" is no longer allowed
      assertThat(second.retired(new WorkflowKey("adm", "1"))).isFalse();
      assertThatThrownBy(
              () -> second.registerWorkflow("d.yaml", workflow("new", "id"), "", "", "", false))
          .satisfies(
              e ->
                  assertThat(Status.fromThrowable(e).getCode())
                      .isEqualTo(Status.Code.PERMISSION_DENIED));
      second.close();
    }
  }
}
