package io.sluice.master.registry;

import io.sluice.cluster.api.WorkflowKey;
import io.sluice.master.partition.HintRefiner;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.sw.SwWorkflows;
import io.sluice.runtime.FunctionRegistry;
import java.util.List;

/**
 * A workflow version the master accepted: its graph, the text it came from (workers parse the same
 * text), its function registry, and the hint refiner fed by workers' observations.
 *
 * @param key name@version
 * @param registeredAtMillis scheduler wall time of the registration
 * @param trusted registered by an admin: workers run its functions without checking them against
 *     {@code security.allow}
 * @param subworkflows the registered Serverless Workflow definitions its {@code run: workflow}
 *     tasks resolved to (nested ones too): the workers read the text with these
 */
public record RegisteredWorkflow(
    WorkflowKey key,
    WorkflowGraph graph,
    String sourceText,
    String fileName,
    String formatHint,
    String registryText,
    String registryFileName,
    FunctionRegistry registry,
    long registeredAtMillis,
    HintRefiner refiner,
    boolean trusted,
    List<SwWorkflows.Source> subworkflows) {

  /**
   * Whether another registration carries exactly the same definition and registry (and is trusted
   * only if this one is: an admin's registration of what a submitter registered replaces it).
   */
  public boolean sameDefinition(RegisteredWorkflow o) {
    return (trusted || !o.trusted)
        && sourceText.equals(o.sourceText)
        && fileName.equals(o.fileName)
        && registryText.equals(o.registryText)
        && subworkflows.equals(o.subworkflows);
  }
}
