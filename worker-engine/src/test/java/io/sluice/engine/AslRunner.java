package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.model.WorkflowGraph;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.model.validate.WorkflowValidator;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs ASL state machines on an embedded engine with the test functions of the ASL tests bound by
 * name (a Task's Resource names them).
 */
final class AslRunner implements AutoCloseable {
  static final ObjectMapper M = new ObjectMapper();
  final TestFunctions fns = new TestFunctions();
  private final SystemScheduler scheduler = new SystemScheduler(1);
  private final WorkflowEngine engine;
  final AtomicInteger flakyCalls = new AtomicInteger();

  AslRunner() {
    fns.fn("echo", inv -> inv.input());
    fns.fn(
        "add",
        inv ->
            M.getNodeFactory()
                .numberNode(inv.input().path("val1").asInt() + inv.input().path("val2").asInt()));
    fns.fn(
        "emr",
        inv ->
            json(
                """
                {"resourceType": "elasticmapreduce", "resource": "createCluster.sync",
                 "output": {"SdkHttpMetadata": {"HttpHeaders": {"Content-Length": "1112"}},
                            "ClusterId": "AKIAIOSFODNN7EXAMPLE"}}"""));
    fns.fn(
        "flaky",
        inv -> {
          if (flakyCalls.incrementAndGet() <= 2) {
            throw new FunctionException("Boom", "attempt " + flakyCalls.get() + " failed", true);
          }
          return M.getNodeFactory().textNode("ok after " + flakyCalls.get());
        });
    fns.fn(
        "custom",
        inv -> {
          throw new FunctionException("CustomError", "This is a custom error!", false);
        });
    fns.hanging("hang");
    FunctionRuntimes rt = FunctionRuntimes.load(RuntimeOptions.of(scheduler)).register(fns);
    engine = WorkflowEngine.embedded(EngineOptions.of(rt).withThreads(2));
  }

  static JsonNode json(String s) {
    try {
      return M.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Reads an ASL document and binds every function it names to the test runtime. */
  static WorkflowGraph load(String asl) {
    WorkflowGraph g = new WorkflowLoader().load("machine.asl.json", asl);
    Map<String, FunctionDef> fns = new LinkedHashMap<>();
    for (String f : new String[] {"echo", "add", "emr", "flaky", "custom", "hang"}) {
      fns.put(f, new FunctionDef(f, "test", null, Location.UNKNOWN));
    }
    WorkflowGraph bound =
        new WorkflowGraph(
            g.name(), g.version(), g.nodes(), g.edges(), g.start(), fns, g.output(), g.location());
    var problems = new WorkflowValidator().validate(bound, fns::containsKey);
    if (!problems.isEmpty()) {
      throw new AssertionError("invalid: " + problems);
    }
    return bound;
  }

  InstanceStatus run(String asl, String input) throws Exception {
    WorkflowGraph g = load(asl);
    String id = engine.start(engine.deploy(g), json(input));
    return engine.completion(id).get(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    engine.close();
    scheduler.close();
  }
}
