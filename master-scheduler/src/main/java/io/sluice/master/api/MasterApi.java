package io.sluice.master.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cluster.api.NotFoundException;
import io.sluice.cluster.api.WorkflowKey;
import io.sluice.cluster.security.Role;
import io.sluice.cluster.security.TokenFile;
import io.sluice.http.HttpAnswer;
import io.sluice.http.HttpCall;
import io.sluice.http.HttpCaller;
import io.sluice.http.HttpRoutes;
import io.sluice.master.Master;
import io.sluice.master.auth.InstanceAccess;
import io.sluice.master.auth.WebSessions;
import io.sluice.master.registry.RegisteredWorkflow;
import io.sluice.model.Edge;
import io.sluice.model.Node;
import io.sluice.model.TaskNode;
import io.sluice.model.layout.GraphLayout;
import io.sluice.proto.GetHistoryRequest;
import io.sluice.proto.GetLogsRequest;
import io.sluice.proto.InstanceState;
import io.sluice.proto.ListInstancesRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The master's read-only JSON API under {@code /api} (docs/http-api.md), over the same views as the
 * gRPC WorkflowService. Runs on the HTTP endpoint's I/O threads: everything but the logs is read
 * from memory; the logs are a stage completed when the workers answer.
 */
public final class MasterApi implements HttpRoutes {
  static final String PREFIX = "/api/";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Master master;
  private final WebSessions sessions;
  // Layouts of the versions asked for; bounded by the registered versions (a version's graph
  // never changes, a re-registration under the same key is the same graph).
  private final Map<WorkflowKey, GraphLayout.Drawing> layouts = new ConcurrentHashMap<>();

  public MasterApi(Master master) {
    this(master, null);
  }

  /**
   * @param sessions the browser sessions {@code POST /signin} opens, or null when clients are not
   *     authenticated
   */
  public MasterApi(Master master, WebSessions sessions) {
    this.master = master;
    this.sessions = sessions;
  }

  @Override
  public CompletionStage<HttpAnswer> get(String path, Map<String, List<String>> query) {
    return serve(HttpCall.get(path, query));
  }

  @Override
  public CompletionStage<HttpAnswer> serve(HttpCall call) {
    String path = call.path();
    if (call.method().equals("POST") && (path.equals("/signin") || path.equals("/signout"))) {
      if (sessions == null) {
        return done(
            HttpAnswer.error(
                404, "no sign-in: this master does not authenticate clients (security.tokens)"));
      }
      return done(path.equals("/signin") ? sessions.signIn(call) : WebSessions.signOut(call));
    }
    if (!call.method().equals("GET")) {
      return null;
    }
    if (path.equals("/") || path.equals("/index.html")) {
      return done(WebPage.ANSWER);
    }
    if (!path.startsWith(PREFIX) && !path.equals("/api")) {
      return null;
    }
    String[] parts = path.substring(1).split("/", -1);
    try {
      return route(parts, call.query(), caller(call.caller()));
    } catch (NotFoundException e) {
      return done(HttpAnswer.error(404, e.getMessage()));
    } catch (IllegalArgumentException e) {
      return done(HttpAnswer.error(400, e.getMessage()));
    }
  }

  /** The caller as a token entry (null without authentication). */
  private static TokenFile.Entry caller(HttpCaller c) {
    Role role = c.anonymous() ? null : Role.named(c.role());
    return role == null ? null : new TokenFile.Entry(c.name(), role, new byte[0]);
  }

  private CompletionStage<HttpAnswer> route(
      String[] p, Map<String, List<String>> q, TokenFile.Entry caller) {
    int n = p.length;
    if (n == 2 && p[1].equals("session")) {
      return done(
          HttpAnswer.json(
              200,
              JSON.objectNode()
                  .put("signIn", sessions != null)
                  .put("name", caller == null ? "" : caller.name())
                  .put("role", caller == null ? "" : caller.role().configName())));
    }
    if (n >= 3 && p[1].equals("instances")) {
      java.util.Optional<String> owner =
          caller == null ? java.util.Optional.empty() : master.startedBy(p[2]);
      String no = owner.isEmpty() ? null : InstanceAccess.refusal(p[2], owner.get(), caller);
      if (no != null) {
        return done(HttpAnswer.error(403, no));
      }
    }
    if (n == 2 && p[1].equals("workflows")) {
      return done(HttpAnswer.json(200, workflows()));
    }
    if (n == 4 && p[1].equals("workflows")) {
      return done(HttpAnswer.json(200, graph(new WorkflowKey(p[2], p[3]))));
    }
    if (n == 2 && p[1].equals("instances")) {
      return done(HttpAnswer.json(200, instances(q, InstanceAccess.ownOnly(caller))));
    }
    if (n == 3 && p[1].equals("instances")) {
      return done(HttpAnswer.json(200, ApiJson.instance(status(p[2]))));
    }
    if (n == 4 && p[1].equals("instances") && p[3].equals("history")) {
      return done(HttpAnswer.json(200, history(p[2], q)));
    }
    if (n == 4 && p[1].equals("instances") && p[3].equals("logs")) {
      GetLogsRequest.Builder req = GetLogsRequest.newBuilder().setInstanceId(p[2]);
      String node = one(q, "node");
      if (node != null) {
        req.setNodeId(node);
      }
      return master.views().logs(req.build()).thenApply(r -> HttpAnswer.json(200, ApiJson.logs(r)));
    }
    throw new NotFoundException(
        "no such path /"
            + String.join("/", p)
            + "; the API serves /api/session, /api/workflows, /api/workflows/NAME/VERSION, /api/instances,"
            + " /api/instances/ID, /api/instances/ID/history and /api/instances/ID/logs");
  }

  private static CompletionStage<HttpAnswer> done(HttpAnswer a) {
    return CompletableFuture.completedFuture(a);
  }

  private ObjectNode workflows() {
    List<RegisteredWorkflow> all = new ArrayList<>(master.workflows(""));
    all.sort(Comparator.comparingLong(RegisteredWorkflow::registeredAtMillis).reversed());
    ObjectNode out = JSON.objectNode();
    ArrayNode list = out.putArray("workflows");
    for (RegisteredWorkflow w : all) {
      list.addObject()
          .put("name", w.key().name())
          .put("version", w.key().version())
          .put("nodes", w.graph().nodes().size())
          .put("registered", ApiJson.time(w.registeredAtMillis()))
          .put("retired", false) // no retiring on this master yet
          .put("running", master.views().running(w.key()));
    }
    return out;
  }

  /** The static graph with its layout (computed once per registered version). */
  private ObjectNode graph(WorkflowKey key) {
    RegisteredWorkflow w =
        master.workflows(key.name()).stream()
            .filter(r -> r.key().equals(key))
            .findFirst()
            .orElseThrow(() -> new NotFoundException("no workflow " + key + " is registered"));
    GraphLayout.Drawing d = layouts.computeIfAbsent(key, k -> GraphLayout.layout(w.graph()));
    ObjectNode out =
        JSON.objectNode()
            .put("name", key.name())
            .put("version", key.version())
            .put("width", d.width())
            .put("height", d.height())
            .put("boxWidth", GraphLayout.BOX_WIDTH)
            .put("boxHeight", GraphLayout.BOX_HEIGHT);
    ArrayNode nodes = out.putArray("nodes");
    for (Node node : w.graph().nodes().values()) {
      GraphLayout.Box box = d.boxes().get(node.id());
      ObjectNode o = nodes.addObject().put("id", node.id()).put("kind", node.kind());
      if (node instanceof TaskNode t) {
        o.put("function", t.function());
      }
      o.put("x", box.x()).put("y", box.y());
    }
    ArrayNode edges = out.putArray("edges");
    for (Edge e : w.graph().edges()) {
      edges
          .addObject()
          .put("from", e.from())
          .put("to", e.to())
          .put("kind", e.kind().name().toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** A running or kept instance's status, else the one its journal kept (durable clusters). */
  private io.sluice.proto.InstanceStatus status(String id) {
    try {
      return master.views().status(id);
    } catch (NotFoundException e) {
      return master.recordedStatus(id).orElseThrow(() -> e);
    }
  }

  private ObjectNode instances(Map<String, List<String>> q, String ownOnly) {
    ListInstancesRequest.Builder req = ListInstancesRequest.newBuilder();
    String wf = one(q, "workflow");
    if (wf != null) {
      req.setWorkflow(wf);
    }
    for (String s : q.getOrDefault("state", List.of())) {
      req.addStates(state(s));
    }
    req.setPageSize(number(q, "limit", 100, 1000));
    String token = one(q, "pageToken");
    if (token != null) {
      req.setPageToken(token);
    }
    var r = master.views().list(req.build(), ownOnly);
    ObjectNode out = JSON.objectNode();
    ArrayNode list = out.putArray("instances");
    r.getInstancesList().forEach(s -> list.add(ApiJson.summary(s)));
    out.put("nextPageToken", r.getNextPageToken());
    return out;
  }

  private ObjectNode history(String id, Map<String, List<String>> q) {
    String after = one(q, "after");
    long afterSeq;
    try {
      afterSeq = after == null ? 0 : Long.parseLong(after);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("after must be a step's seq number, got '" + after + "'");
    }
    var r =
        master
            .views()
            .history(
                GetHistoryRequest.newBuilder()
                    .setInstanceId(id)
                    .setAfterSeq(afterSeq)
                    .setPageSize(number(q, "limit", 500, 5000))
                    .build());
    return ApiJson.history(r);
  }

  public static InstanceState state(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "pending" -> InstanceState.INSTANCE_STATE_PENDING;
      case "running" -> InstanceState.INSTANCE_STATE_RUNNING;
      case "succeeded", "completed" -> InstanceState.INSTANCE_STATE_SUCCEEDED;
      case "failed" -> InstanceState.INSTANCE_STATE_FAILED;
      case "cancelled" -> InstanceState.INSTANCE_STATE_CANCELLED;
      default ->
          throw new IllegalArgumentException(
              "state must be one of pending, running, succeeded, failed, cancelled; got '"
                  + s
                  + "'");
    };
  }

  private static String one(Map<String, List<String>> q, String name) {
    List<String> v = q.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
  }

  private static int number(Map<String, List<String>> q, String name, int dflt, int max) {
    String v = one(q, name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        name + " must be a number from 1 to " + max + ", got '" + v + "'");
  }
}
