package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.config.LogsConfig;
import io.sluice.engine.CallLogs;
import io.sluice.proto.LogEntry;
import io.sluice.runtime.CallTime;
import org.junit.jupiter.api.Test;

/** The bounds of a worker's call logs: per entry, per instance count, in total. */
class InvocationLogsTest {
  private static CallLogs.Call call(String instance, String node, int attempt) {
    return new CallLogs.Call(instance, node, attempt, 0, "process", 1_700_000_000_000L);
  }

  private static CallTime.Log stderr(String text) {
    return new CallTime.Log("stderr", text, false);
  }

  @Test
  void anEntryKeepsItsLastBytesOnWholeCharactersAndSaysItWasCut() {
    InvocationLogs logs = new InvocationLogs("w1", new LogsConfig(10, 10, 10_000));
    logs.logs(call("i1", "a", 1), stderr("0123456789abcdef"));
    logs.logs(call("i1", "a", 2), stderr("ééééééé")); // 14 bytes: keeps 5 whole characters
    logs.logs(call("i1", "b", 1), new CallTime.Log("stderr", "short", true));
    logs.logs(call("i1", "c", 1), stderr("")); // nothing to keep
    var entries = logs.get("i1", "", 0).getEntriesList();
    assertThat(entries)
        .extracting(LogEntry::getText)
        .containsExactly("6789abcdef", "ééééé", "short");
    assertThat(entries).extracting(LogEntry::getTruncated).containsExactly(true, true, true);
    assertThat(logs.get("i1", "a", 3).getEntriesList())
        .extracting(LogEntry::getText)
        .containsExactly("def", "é");
  }

  @Test
  void theOldestInstancesGoFirstByCountAndByTotalSize() {
    InvocationLogs logs =
        new InvocationLogs("w1", new LogsConfig(400, 3, 3 * (100 + InvocationLogs.ENTRY_OVERHEAD)));
    for (int i = 1; i <= 4; i++) {
      logs.logs(call("i" + i, "a", 1), stderr("x".repeat(10)));
    }
    assertThat(logs.instances()).isEqualTo(3);
    assertThat(logs.get("i1", "", 0).getEntriesCount()).isZero();
    assertThat(logs.get("i4", "", 0).getEntriesCount()).isEqualTo(1);
    logs.logs(call("i5", "a", 1), stderr("y".repeat(300))); // over the total with the others
    assertThat(logs.bytes()).isLessThanOrEqualTo(3 * (100 + InvocationLogs.ENTRY_OVERHEAD));
    assertThat(logs.instances()).isEqualTo(2); // i2 and i3 went for it; i4 still fits
    assertThat(logs.evictedInstances()).isEqualTo(3);
    for (int i = 0; i < 5; i++) { // one instance alone over the total loses its oldest entries
      logs.logs(call("i5", "b", i + 1), stderr("z".repeat(300)));
    }
    assertThat(logs.bytes()).isLessThanOrEqualTo(3 * (100 + InvocationLogs.ENTRY_OVERHEAD));
    assertThat(logs.get("i5", "", 0).getEntriesList())
        .isNotEmpty()
        .last()
        .extracting(LogEntry::getAttempt)
        .isEqualTo(5);
  }

  @Test
  void entrySizeZeroKeepsNothing() {
    InvocationLogs logs = new InvocationLogs("w1", new LogsConfig(0, 1, 0));
    logs.logs(call("i1", "a", 1), stderr("x"));
    assertThat(logs.instances()).isZero();
  }
}
