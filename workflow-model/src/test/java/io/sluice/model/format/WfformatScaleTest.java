package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.model.Edge;
import io.sluice.model.WorkflowGraph;
import org.junit.jupiter.api.Test;

/** A 10,000-task trace (seismology widened 99 times plus one gather task) imports whole. */
class WfformatScaleTest {

  @Test
  void importsTenThousandTasks() {
    WfformatGenerator gen =
        WfformatGenerator.of(
            GraphChecks.corpus("wfcommons", "raw", "seismology-chameleon-100p-001.json"));
    assertThat(gen.traceTasks()).isEqualTo(101);
    String json = gen.generate(10_000);
    SourceDocument doc = SourceDocument.parse("widened.json", json);
    WfformatImporter importer = new WfformatImporter();
    assertThat(importer.accepts(doc)).isTrue();
    long start = System.nanoTime();
    WorkflowGraph g = importer.read(doc);
    System.out.printf(
        "wfformat 10,000 tasks imported in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    // 99 copies of 101 tasks + gather; each copy: 100 sG1IterDecon -> wrapper edges, then
    // wrapper -> gather
    assertThat(g.nodes()).hasSize(10_000);
    assertThat(g.edges()).hasSize(99 * 100 + 99);
    assertThat(GraphChecks.incoming(g, WfformatGenerator.GATHER)).hasSize(99);
    GraphChecks.assertSound(g);
    assertThat(g.edges().stream().mapToLong(Edge::bytes).sum()).isPositive();
  }

  @Test
  void cutsTheLastCopyToATopologicalPrefix() {
    WfformatGenerator gen =
        WfformatGenerator.of(
            GraphChecks.corpus("wfcommons", "raw", "montage-chameleon-2mass-01d-001.json"));
    WorkflowGraph g =
        new WfformatImporter().read(SourceDocument.parse("m.json", gen.generate(250)));
    assertThat(g.nodes()).hasSize(250);
    GraphChecks.assertSound(g);
  }
}
