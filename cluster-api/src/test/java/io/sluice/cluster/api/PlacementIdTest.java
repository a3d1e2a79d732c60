package io.sluice.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PlacementIdTest {
  @Test
  void theSamePlacementInAnyOrderHasOneId() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("x", "w1");
    a.put("y", "w2");
    Map<String, String> b = new TreeMap<>(Map.of("y", "w2", "x", "w1"));
    assertThat(PlacementId.of(a)).isEqualTo(PlacementId.of(b)).isNotZero();
  }

  /** Moving two nodes between w1 and w2 keeps Map#hashCode in the chaos test's case; not the id. */
  @Test
  void placementsWithOneMapHashHaveDifferentIds() {
    Map<String, String> before =
        Map.of("blastall_ID000022", "w1", "cat_blast_ID000042", "w2", "split", "w2");
    Map<String, String> after =
        Map.of("blastall_ID000022", "w2", "cat_blast_ID000042", "w1", "split", "w2");
    assertThat(before.hashCode()).isEqualTo(after.hashCode());
    assertThat(PlacementId.of(before)).isNotEqualTo(PlacementId.of(after));
  }

  @Test
  void keysAndValuesDoNotRunTogether() {
    assertThat(PlacementId.of(Map.of("ab", "c"))).isNotEqualTo(PlacementId.of(Map.of("a", "bc")));
  }
}
