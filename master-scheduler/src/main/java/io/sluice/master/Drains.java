package io.sluice.master;

import io.grpc.StatusRuntimeException;
import io.sluice.master.deploy.DeploymentView;
import io.sluice.master.deploy.Deployments;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.instance.Instances;
import io.sluice.master.membership.Membership;
import io.sluice.master.membership.WorkerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draining a worker so it can be stopped (an upgrade, one worker at a time) without failing an
 * instance: {@link Membership} marks it, so new instances are placed over the other workers; the
 * MasterSP engines of running instances are pointed at the new placement, so they dispatch no more
 * calls to it; and the instances still running with a part there are counted, so an operator knows
 * when stopping it is safe. A part counts until its instance ends, because a worker whose part
 * finished may still serve that part's values to its peers.
 */
public final class Drains {
  private static final Logger LOG = LoggerFactory.getLogger(Drains.class);

  /** Instance ids a report names at most (the count covers them all). */
  static final int NAMED_INSTANCES = 10;

  /**
   * A worker's draining as it stands.
   *
   * @param worker the worker as registered
   * @param alive whether it is alive now
   * @param draining whether it is draining now
   * @param runningParts running instances with a part on it (at most one part each)
   * @param instances the ids of up to {@link #NAMED_INSTANCES} of them
   */
  public record Report(
      WorkerInfo worker,
      boolean alive,
      boolean draining,
      int runningParts,
      List<String> instances) {
    public Report {
      instances = List.copyOf(instances);
    }
  }

  private final Membership membership;
  private final Deployments deployments;
  private final Instances instances;

  Drains(Membership membership, Deployments deployments, Instances instances) {
    this.membership = membership;
    this.deployments = deployments;
    this.instances = instances;
  }

  /**
   * Drains {@code workerId} ({@code on}) or ends its draining, and reports the parts it still runs.
   * Draining again is harmless (clients poll with it).
   *
   * @throws io.sluice.cluster.api.NotFoundException when no worker registered under the id
   */
  Report drain(String workerId, boolean on) {
    if (workerId == null || workerId.isBlank()) {
      throw new IllegalArgumentException("missing field worker_id");
    }
    WorkerInfo w = membership.drain(workerId, on);
    if (on) {
      redirectMasterSp(workerId);
    }
    List<String> ids = new ArrayList<>();
    int parts = 0;
    for (InstanceRun r : instances.running()) {
      if (r.usesWorker(workerId)) {
        parts++;
        if (ids.size() < NAMED_INSTANCES) {
          ids.add(r.id());
        }
      }
    }
    return new Report(w, membership.alive(workerId), membership.draining(workerId), parts, ids);
  }

  /**
   * Places the deployments of running MasterSP instances that use the worker again (over the
   * workers that take parts) and points their engines there. When none does (every live worker
   * drains), their calls keep going where they went.
   */
  private void redirectMasterSp(String workerId) {
    Map<Object, InstanceRun> byDeployment = new LinkedHashMap<>();
    for (InstanceRun r : instances.running()) {
      if (r.mode() == ExecutionMode.MASTER && r.usesWorker(workerId)) {
        byDeployment.putIfAbsent(r.view().key(), r);
      }
    }
    for (InstanceRun r : byDeployment.values()) {
      try {
        DeploymentView v = deployments.ensure(r.view().workflow(), r.view().binding());
        instances.redirect(v);
      } catch (StatusRuntimeException e) {
        LOG.warn(
            "draining worker {}: the running MasterSP instances of {} keep calling it: {}",
            workerId,
            r.view().key(),
            e.getStatus().getDescription());
      }
    }
  }
}
