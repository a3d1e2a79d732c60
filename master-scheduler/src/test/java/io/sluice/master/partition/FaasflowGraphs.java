package io.sluice.master.partition;

import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import java.nio.file.Path;

/**
 * Corpus workflows for partitioning, read with the real importers: a FaaSFlow workflow folder name
 * ({@code genome}), or a file under the corpus ({@code wfcommons/raw/montage-...json}). The corpus
 * is the system property {@code sluice.corpus} (the build sets it for tests), default {@code
 * corpus}: the repository's corpus when run from the repository root, as the benchmarks are.
 */
public final class FaasflowGraphs {
  private FaasflowGraphs() {}

  public static Path corpus() {
    return Path.of(System.getProperty("sluice.corpus", "corpus"));
  }

  public static WorkflowGraph read(String name) {
    Path file =
        name.contains("/")
            ? corpus().resolve(name)
            : corpus().resolve("faasflow").resolve(name).resolve("flat_workflow.yaml");
    return new WorkflowLoader().load(file);
  }
}
