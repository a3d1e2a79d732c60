package io.sluice.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cluster.api.NotFoundException;
import io.sluice.cluster.api.WorkflowKey;
import org.junit.jupiter.api.Test;

/** Listing and retiring versions: the latest per name, retired ones apart. */
class WorkflowRegistryTest {
  private static String definition(String version) {
    return """
        sluice: "1.0"
        name: v
        version: "%s"
        functions:
          f: {runtime: synthetic, computeMs: 1}
        nodes:
          - {id: a, type: task, function: f}
        """
        .formatted(version);
  }

  private final WorkflowRegistry registry = new WorkflowRegistry();

  private WorkflowKey register(String version, long at) {
    return registry.register("v.yaml", definition(version), "", "", "", at).workflow().key();
  }

  private java.util.List<String> versions(boolean all, boolean retired) {
    return registry.list("v", all, retired).stream().map(w -> w.key().version()).toList();
  }

  @Test
  void theLatestVersionOfANameIsTheLastRegisteredOrTheGreatestAtOnce() {
    register("1", 5);
    WorkflowKey v10 = register("10", 5); // a restarted master registers everything at once
    WorkflowKey v2 = register("2", 5);
    assertThat(versions(false, false)).containsExactly("10");
    assertThat(versions(true, false)).containsExactly("1", "10", "2");

    registry.retire(v10, true);
    assertThat(registry.retired(v10)).isTrue();
    assertThat(versions(false, false)).containsExactly("2");
    assertThat(versions(false, true)).containsExactly("10");
    assertThat(versions(true, false)).containsExactly("1", "2");
    assertThat(versions(true, true)).containsExactly("1", "10", "2");

    registry.retire(v10, false);
    assertThat(versions(false, false)).containsExactly("10");
    register("3", 9); // registered later
    assertThat(versions(false, false)).containsExactly("3");
    assertThat(registry.retired(v2)).isFalse();
  }

  @Test
  void retiringAnUnknownVersionNamesWhatIsRegistered() {
    register("1", 1);
    assertThatThrownBy(() -> registry.retire(new WorkflowKey("v", "7"), true))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("v@7")
        .hasMessageContaining("v@1");
  }
}
