package io.sluice.bench.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepTest {
  static Sweep sweep() {
    return new Sweep(
        List.of("worker", "master"),
        List.of("tiered", "redis"),
        List.of("critical-path"),
        List.of(1, 3),
        Arrays.asList((String) null),
        Arrays.asList((String) null),
        List.of(Load.clients(1), Load.clients(8)));
  }

  @Test
  void crossProductHasEveryCombinationOnce() {
    List<Configuration> all = sweep().configurations();
    assertThat(all).hasSize(2 * 2 * 1 * 2 * 2).doesNotHaveDuplicates();
    assertThat(all)
        .contains(
            new Configuration(
                "master",
                new ClusterSpec("redis", "critical-path", 3, null, null),
                Load.clients(8)));
  }

  @Test
  void configurationsOfOneClusterRunBackToBack() {
    List<Configuration> all = sweep().configurations();
    List<ClusterSpec> seen = new ArrayList<>();
    for (Configuration c : all) {
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(c.cluster())) {
        assertThat(seen)
            .as("cluster %s comes back after another", c.cluster())
            .doesNotContain(c.cluster());
        seen.add(c.cluster());
      }
    }
    assertThat(seen).isEqualTo(sweep().clusters()).hasSize(4);
    assertThat(sweep().byCluster().values()).allSatisfy(l -> assertThat(l).hasSize(4));
  }

  @Test
  void varyingNamesTheDimensionsWithSeveralValues() {
    assertThat(sweep().varying()).containsExactly("mode", "store", "workers", "clients");
    Configuration c = sweep().configurations().get(0);
    assertThat(c.label(sweep().varying())).isEqualTo("worker tiered 1w 1 client");
  }

  @Test
  void linksMakeTheirOwnClusters() {
    Sweep s =
        new Sweep(
            List.of("worker"),
            List.of("memory"),
            List.of("hash"),
            List.of(2),
            List.of("1ms", "10ms"),
            List.of("50MB/s"),
            List.of(Load.rate(10)));
    assertThat(s.clusters()).extracting(ClusterSpec::linkLatency).containsExactly("1ms", "10ms");
    assertThat(s.clusters().get(0).hasLinks()).isTrue();
    assertThat(s.clusters().get(0).name()).isEqualTo("memory-hash-2w-lat1ms-bw50MBps");
  }

  @Test
  void progressAxisMakesItsOwnClustersAndCanBeTheBaseline() {
    Sweep s =
        new Sweep(
            List.of("worker", "master"),
            List.of("memory"),
            List.of("critical-path"),
            List.of(3),
            Arrays.asList((String) null),
            Arrays.asList((String) null),
            List.of(true, false),
            List.of(Load.clients(1)));
    assertThat(s.clusters()).extracting(ClusterSpec::progress).containsExactly(true, false);
    assertThat(s.clusters())
        .extracting(ClusterSpec::name)
        .containsExactly("memory-critical-path-3w", "memory-critical-path-3w-noprogress");
    assertThat(s.configurations()).hasSize(4).doesNotHaveDuplicates();
    assertThat(s.varying()).containsExactly("mode", "progress");
    assertThat(s.values("progress")).containsExactly("on", "off");
    Configuration on = s.configurations().get(0);
    assertThat(on.label(s.varying())).isEqualTo("worker progress on");
    assertThat(on.value("progress")).isEqualTo("on");

    Baseline b = Baseline.parse("progress=off", s);
    Configuration off = b.of(on);
    assertThat(off.cluster().progress()).isFalse();
    assertThat(off.mode()).isEqualTo("worker");
    assertThat(s.configurations()).contains(off);
    assertThatThrownBy(() -> Baseline.parse("progress=maybe", s))
        .hasMessageContaining("progress=maybe is not in the sweep");
    // another dimension's baseline keeps the configuration's progress setting
    Configuration offMaster = off.with("mode", "master");
    assertThat(offMaster.cluster().progress()).isFalse();
    assertThat(off.with("workers", "2").cluster().progress()).isFalse();
  }

  @Test
  void defaultBaselineIsMasterOverRedisWhereTheSweepHasThem() {
    Baseline b = Baseline.defaultFor(sweep());
    assertThat(b.values()).containsEntry("mode", "master").containsEntry("store", "redis");
    Configuration c =
        new Configuration(
            "worker", new ClusterSpec("tiered", "critical-path", 3, null, null), Load.clients(8));
    assertThat(b.of(c))
        .isEqualTo(
            new Configuration(
                "master",
                new ClusterSpec("redis", "critical-path", 3, null, null),
                Load.clients(8)));
    Sweep onlyTiered =
        new Sweep(
            List.of("worker", "master"),
            List.of("tiered"),
            List.of("critical-path"),
            List.of(3),
            Arrays.asList((String) null),
            Arrays.asList((String) null),
            List.of(Load.clients(1)));
    assertThat(Baseline.defaultFor(onlyTiered).values()).containsOnlyKeys("mode");
  }

  @Test
  void baselineOptionIsCheckedAgainstTheSweep() {
    assertThat(Baseline.parse("mode=worker", sweep()).values())
        .containsExactly(java.util.Map.entry("mode", "worker"));
    assertThat(Baseline.parse("workers=1,clients=8", sweep()).values()).hasSize(2);
    assertThatThrownBy(() -> Baseline.parse("mode=both", sweep()))
        .hasMessageContaining("mode=both is not in the sweep");
    assertThatThrownBy(() -> Baseline.parse("colour=red", sweep()))
        .hasMessageContaining("unknown dimension 'colour'");
    assertThatThrownBy(() -> Baseline.parse("mode", sweep()))
        .hasMessageContaining("DIMENSION=VALUE");
  }

  @Test
  void loadsRejectNonsense() {
    assertThatThrownBy(() -> Load.rate(0)).hasMessageContaining("--rate must be positive");
    assertThatThrownBy(() -> Load.clients(0)).hasMessageContaining("--clients must be positive");
    assertThat(Load.rate(12.5).label()).isEqualTo("12.5/s");
  }
}
