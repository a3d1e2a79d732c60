package io.sluice.master.progress;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.wire.WireMapper;
import io.sluice.master.instance.InstanceReport;
import io.sluice.master.instance.InstanceRun;
import io.sluice.master.instance.Instances;
import io.sluice.master.instance.WorkerSpRun;
import io.sluice.master.membership.WorkerInfo;
import io.sluice.master.rpc.MasterWire;
import io.sluice.master.rpc.WorkerClients;
import io.sluice.proto.GetHistoryRequest;
import io.sluice.proto.GetHistoryResponse;
import io.sluice.proto.GetLogsRequest;
import io.sluice.proto.GetLogsResponse;
import io.sluice.proto.InstanceStatus;
import io.sluice.proto.InstanceSummary;
import io.sluice.proto.ListInstancesRequest;
import io.sluice.proto.ListInstancesResponse;
import io.sluice.proto.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The views of instances the master answers with (gRPC WorkflowService and the JSON API): the
 * status with its node table, the instance list, the history and the logs gathered from workers.
 * Malformed requests fail with {@link IllegalArgumentException}, unknown instances with {@link
 * io.sluice.cluster.api.NotFoundException}.
 */
public final class InstanceViews {
  /** How long the workers of an instance have to answer GetLogs. */
  public static final Duration LOGS_DEADLINE = Duration.ofSeconds(5);

  private static final Comparator<InstanceReport> NEWEST_FIRST =
      Comparator.comparingLong(InstanceReport::startedAtMillis)
          .thenComparing(InstanceReport::instanceId)
          .reversed();

  private final Instances instances;
  private final ProgressStore progress;
  private final WorkerClients clients;
  private final Function<String, WorkerInfo> workers;

  public InstanceViews(
      Instances instances,
      ProgressStore progress,
      WorkerClients clients,
      Function<String, WorkerInfo> workers) {
    this.instances = instances;
    this.progress = progress;
    this.clients = clients;
    this.workers = workers;
  }

  /** The instance's status with its node table; counters from the table while it runs. */
  public InstanceStatus status(String instanceId) {
    return status(instances.get(instanceId));
  }

  public InstanceStatus status(InstanceRun run) {
    InstanceStatus s = status(run.report());
    return run.startedBy().isEmpty() ? s : s.toBuilder().setStartedBy(run.startedBy()).build();
  }

  private InstanceStatus status(InstanceReport r) {
    InstanceStatus s = MasterWire.status(r);
    var p = progress.find(r.instanceId());
    if (p.isEmpty()) {
      return s;
    }
    InstanceStatus.Builder b = s.toBuilder().addAllNodes(p.get().nodes());
    if (!r.state().terminal()) { // the parts' reports come at the end: the table knows more now
      int[] c = p.get().counts();
      b.setNodesExecuted(Math.max(s.getNodesExecuted(), c[0]));
      b.setNodesSkipped(Math.max(s.getNodesSkipped(), c[1]));
      Set<String> used = new TreeSet<>(s.getWorkersUsedList());
      used.addAll(p.get().workers());
      used.remove("master");
      b.clearWorkersUsed().addAllWorkersUsed(used);
    }
    return b.build();
  }

  /** Instances the master knows, newest first, filtered and paged. */
  public ListInstancesResponse list(ListInstancesRequest req) {
    return list(req, null);
  }

  /**
   * As {@link #list(ListInstancesRequest)}, only the instances {@code startedBy} started when it is
   * not null (a {@code submit} caller's own).
   */
  public ListInstancesResponse list(ListInstancesRequest req, String startedBy) {
    if (req.getPageSize() < 0) {
      throw new IllegalArgumentException("page_size must not be negative");
    }
    int size = req.getPageSize() == 0 ? 100 : Math.min(req.getPageSize(), 1000);
    String[] wf = workflowFilter(req.getWorkflow());
    Set<io.sluice.proto.InstanceState> states = EnumSet.noneOf(io.sluice.proto.InstanceState.class);
    states.addAll(req.getStatesList());
    long after = req.hasStartedAfter() ? WireMapper.epochMillis(req.getStartedAfter()) : 0;
    long before =
        req.hasStartedBefore() ? WireMapper.epochMillis(req.getStartedBefore()) : Long.MAX_VALUE;
    PageToken token = PageToken.parse(req.getPageToken());
    List<InstanceReport> matched = new ArrayList<>();
    java.util.Map<String, String> owners = new java.util.HashMap<>();
    for (InstanceRun run : instances.all()) {
      if (startedBy != null && !startedBy.equals(run.startedBy())) {
        continue;
      }
      owners.put(run.id(), run.startedBy());
      InstanceReport r = run.report();
      WorkflowKey k = r.workflow();
      if ((wf != null && (!k.name().equals(wf[0]) || (wf[1] != null && !k.version().equals(wf[1]))))
          || (!states.isEmpty() && !states.contains(MasterWire.state(r.state())))
          || r.startedAtMillis() < after
          || r.startedAtMillis() >= before
          || (token != null && !token.before(r))) {
        continue;
      }
      matched.add(r);
    }
    matched.sort(NEWEST_FIRST);
    ListInstancesResponse.Builder out = ListInstancesResponse.newBuilder();
    for (int i = 0; i < Math.min(size, matched.size()); i++) {
      InstanceReport r = matched.get(i);
      out.addInstances(
          summary(r).toBuilder().setStartedBy(owners.getOrDefault(r.instanceId(), "")).build());
    }
    if (matched.size() > size) {
      out.setNextPageToken(PageToken.of(matched.get(size - 1)));
    }
    return out.build();
  }

  /** {@code NAME} or {@code NAME@VERSION} as [name, version or null]; null for empty. */
  private static String[] workflowFilter(String w) {
    if (w == null || w.isBlank()) {
      return null;
    }
    int at = w.lastIndexOf('@');
    if (at == 0 || at == w.length() - 1) {
      throw new IllegalArgumentException("workflow must be NAME or NAME@VERSION, got '" + w + "'");
    }
    return at < 0 ? new String[] {w, null} : new String[] {w.substring(0, at), w.substring(at + 1)};
  }

  private InstanceSummary summary(InstanceReport r) {
    InstanceStatus s = status(r);
    int done = s.getNodesExecuted() + s.getNodesSkipped();
    InstanceSummary.Builder b =
        InstanceSummary.newBuilder()
            .setInstanceId(s.getInstanceId())
            .setWorkflow(s.getWorkflow())
            .setState(s.getState())
            .setMode(s.getMode())
            .setStarted(s.getStarted())
            .setElapsed(s.getElapsed())
            .setNodeCount(s.getNodeCount())
            .setNodesDone(done);
    if (s.hasFinished()) {
      b.setFinished(s.getFinished());
    }
    if (s.hasError()) {
      b.setError(s.getError());
    }
    return b.build();
  }

  /** A page of an instance's history. */
  public GetHistoryResponse history(GetHistoryRequest req) {
    if (req.getPageSize() < 0 || req.getAfterSeq() < 0) {
      throw new IllegalArgumentException("page_size and after_seq must not be negative");
    }
    InstanceRun run = instances.get(req.getInstanceId());
    int size = req.getPageSize() == 0 ? 500 : Math.min(req.getPageSize(), 5000);
    InstanceProgress p =
        progress
            .find(run.id())
            .orElseThrow(
                () ->
                    new io.sluice.cluster.api.NotFoundException(
                        "instance " + run.id() + " has no history on this master"));
    InstanceProgress.HistoryPage page = p.page(req.getAfterSeq(), size);
    return GetHistoryResponse.newBuilder()
        .addAllEvents(page.events())
        .setLastSeq(page.lastSeq())
        .setMore(page.more())
        .setEnded(run.finished() && !page.more())
        .setDropped(page.dropped())
        .build();
  }

  /**
   * The instance's logs from every worker it used (its placement's holders and the workers its
   * steps name), merged in time order; workers that are gone or do not answer within {@link
   * #LOGS_DEADLINE} are listed as unreachable. Never blocks: completes when the last answers.
   */
  public CompletableFuture<GetLogsResponse> logs(GetLogsRequest req) {
    if (req.getMaxBytes() < 0) {
      throw new IllegalArgumentException("max_bytes must not be negative");
    }
    InstanceRun run = instances.get(req.getInstanceId());
    Set<String> ids = new TreeSet<>(run.report().workersUsed());
    ids.addAll(run instanceof WorkerSpRun w ? w.currentHolders() : run.view().holders());
    progress.find(run.id()).ifPresent(p -> ids.addAll(p.workers()));
    ids.remove("master");
    Map<String, List<LogEntry>> answers = new TreeMap<>();
    Set<String> unreachable = new TreeSet<>();
    CompletableFuture<GetLogsResponse> done = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(ids.size() + 1);
    Runnable one =
        () -> {
          if (left.decrementAndGet() == 0) {
            done.complete(merge(answers, unreachable));
          }
        };
    for (String id : ids) {
      WorkerInfo w = workers.apply(id);
      if (w == null) {
        synchronized (answers) {
          unreachable.add(id);
        }
        one.run();
        continue;
      }
      Futures.addCallback(
          clients.future(w, LOGS_DEADLINE).getLogs(req),
          new FutureCallback<GetLogsResponse>() {
            @Override
            public void onSuccess(GetLogsResponse r) {
              synchronized (answers) {
                answers.put(id, r.getEntriesList());
              }
              one.run();
            }

            @Override
            public void onFailure(Throwable t) {
              synchronized (answers) {
                unreachable.add(id);
              }
              one.run();
            }
          },
          MoreExecutors.directExecutor());
    }
    one.run();
    return done;
  }

  private static GetLogsResponse merge(
      Map<String, List<LogEntry>> answers, Set<String> unreachable) {
    synchronized (answers) {
      List<LogEntry> all = new ArrayList<>();
      answers.values().forEach(all::addAll);
      // stable: each worker's entries keep their invocation order among equal times
      all.sort(Comparator.comparingLong(e -> WireMapper.epochMillis(e.getTime())));
      return GetLogsResponse.newBuilder()
          .addAllEntries(all)
          .addAllUnreachableWorkers(unreachable)
          .build();
    }
  }

  /** Instances of {@code key} that run now. */
  public int running(WorkflowKey key) {
    int n = 0;
    for (InstanceRun r : instances.running()) {
      if (r.view().workflow().key().equals(key)) {
        n++;
      }
    }
    return n;
  }

  /** Where a page of ListInstances ends: the last instance's start time and id. */
  private record PageToken(long startedMillis, String id) {
    static PageToken parse(String t) {
      if (t == null || t.isEmpty()) {
        return null;
      }
      int colon = t.indexOf(':');
      try {
        return new PageToken(Long.parseLong(t.substring(0, colon)), t.substring(colon + 1));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "page_token '" + t + "' is not one this master gave (pass next_page_token back)");
      }
    }

    static String of(InstanceReport r) {
      return r.startedAtMillis() + ":" + r.instanceId();
    }

    /** Whether {@code r} comes after this token's instance, newest first. */
    boolean before(InstanceReport r) {
      return r.startedAtMillis() < startedMillis
          || (r.startedAtMillis() == startedMillis && r.instanceId().compareTo(id) < 0);
    }
  }
}
