package io.sluice.engine.sw;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.NodeSteps;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.format.SourceDocument;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Serverless Workflow conformance test kit (src/test/resources/sw-ctk, see its
 * PROVENANCE.md) on the embedded engine: one dynamic test per scenario, its definition read by the
 * Serverless Workflow importer. A scenario that calls a host beyond this machine is skipped with
 * that reason; a scenario in {@link #KNOWN_FAILURES} must fail (and is then reported skipped with
 * its reason) — if it passes, the test fails so the list stays true. Prints a summary line.
 */
class CtkTest {
  /**
   * Scenarios expected to fail, and why: the one place they are listed. Keys are {@code FILE:
   * SCENARIO}; {@code local: FILE: SCENARIO} for the network scenarios run against {@link
   * PetStoreStandIn}.
   */
  static final Map<String, String> KNOWN_FAILURES =
      Map.of(
          "local: call.feature: Call HTTP With Response Output",
          "call: http output: response is not supported",
          "local: call.feature: Call HTTP Using Basic Authentication",
          "endpoint authentication is not supported",
          "local: call.feature: Call OpenAPI With Content Output",
          "call: openapi is not supported",
          "local: call.feature: Call OpenAPI With Response Output",
          "call: openapi is not supported",
          "local: try.feature: Try Handle Caught Error",
          "the kit filters on https://serverlessworkflow.io/dsl/errors/types/communication; the DSL"
              + " reference's standard type, which Sluice raises, is"
              + " https://serverlessworkflow.io/spec/1.0.0/errors/communication");

  private static final Pattern URL = Pattern.compile("https?://([^/:\\s\"'{}]+)");
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final AtomicInteger PASSED_LOCAL = new AtomicInteger();
  private static final AtomicInteger FAILED = new AtomicInteger();
  private static final List<String> SKIPPED = new ArrayList<>();
  private static final Map<String, List<String>> STARTED = new ConcurrentHashMap<>();

  private static SystemScheduler scheduler;
  private static FunctionRuntimes runtimes;
  private static WorkflowEngine engine;
  private static PetStoreStandIn standIn;

  @BeforeAll
  static void start() throws IOException {
    standIn = new PetStoreStandIn();
    scheduler = new SystemScheduler(2);
    runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    NodeSteps steps =
        (instance, node, step) -> {
          if (step.kind() == NodeSteps.Kind.STARTED && step.item() == 0) {
            STARTED
                .computeIfAbsent(
                    instance, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(node);
          }
        };
    engine =
        WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(2).withNodeSteps(steps));
  }

  @AfterAll
  static void stop() {
    standIn.close();
    engine.close();
    runtimes.close();
    scheduler.close();
    System.out.printf(
        "Serverless Workflow CTK: %d passed, %d failed, %d skipped; network scenarios against a"
            + " local stand-in: %d passed, %d known failures%n",
        PASSED.get(),
        FAILED.get(),
        SKIPPED.stream().filter(x -> !x.startsWith("local: ")).count(),
        PASSED_LOCAL.get(),
        SKIPPED.stream().filter(x -> x.startsWith("local: ")).count());
    SKIPPED.forEach(s -> System.out.println("  skipped: " + s));
  }

  @TestFactory
  Stream<DynamicNode> conformanceKit() throws IOException {
    Path dir = Path.of("src/test/resources/sw-ctk/features");
    List<DynamicNode> features = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".feature")).sorted().toList()) {
        Gherkin.Feature feature =
            Gherkin.parse(file.getFileName().toString(), Files.readString(file));
        List<DynamicNode> tests = new ArrayList<>();
        for (Gherkin.Scenario s : feature.scenarios()) {
          String key = file.getFileName() + ": " + s.name();
          tests.add(
              DynamicTest.dynamicTest(
                  s.name(), file.toUri(), () -> runCounted(key, s, network(s), d -> d)));
          if (network(s) != null) {
            tests.add(
                DynamicTest.dynamicTest(
                    s.name() + " (local stand-in)",
                    file.toUri(),
                    () -> runCounted("local: " + key, s, null, d -> standIn.rewrite(d))));
          }
        }
        features.add(DynamicContainer.dynamicContainer(feature.file(), tests.stream()));
      }
    }
    return features.stream();
  }

  private static void runCounted(
      String key,
      Gherkin.Scenario s,
      String network,
      java.util.function.UnaryOperator<String> rewrite)
      throws Exception {
    if (network != null) {
      skip(key, "needs the network beyond this machine (" + network + ")");
    }
    String known = KNOWN_FAILURES.get(key);
    try {
      new Run(engine, STARTED, rewrite).scenario(s);
    } catch (AssertionError | Exception e) {
      if (known != null) {
        skip(
            key,
            "known failure: " + known + " (" + e.getMessage().lines().findFirst().orElse("") + ")");
      }
      FAILED.incrementAndGet();
      throw e;
    }
    if (known != null) {
      FAILED.incrementAndGet();
      throw new AssertionError(key + " passes: remove it from CtkTest.KNOWN_FAILURES");
    }
    (key.startsWith("local: ") ? PASSED_LOCAL : PASSED).incrementAndGet();
  }

  private static void skip(String key, String why) {
    synchronized (SKIPPED) {
      SKIPPED.add(key + ": " + why);
    }
    System.out.println("CTK skipped " + key + ": " + why);
    Assumptions.abort(why);
  }

  /** The remote hosts a scenario's definition calls (endpoints), or null if none. */
  private static String network(Gherkin.Scenario s) {
    for (Gherkin.Step step : s.steps()) {
      if (step.docString() == null || !step.text().contains("definition")) {
        continue;
      }
      List<String> hosts = new ArrayList<>();
      collect(SourceDocument.parse("def.yaml", step.docString()).root(), false, hosts);
      if (!hosts.isEmpty()) {
        return String.join(", ", hosts);
      }
    }
    return null;
  }

  private static void collect(JsonNode n, boolean endpoint, List<String> hosts) {
    if (n == null) {
      return;
    }
    if (n.isTextual() && endpoint) {
      Matcher m = URL.matcher(n.asText());
      if (m.find()
          && !List.of("localhost", "127.0.0.1").contains(m.group(1))
          && !hosts.contains(m.group(1))) {
        hosts.add(m.group(1));
      }
    }
    if (n.isObject()) {
      n.properties()
          .forEach(e -> collect(e.getValue(), endpoint || e.getKey().equals("endpoint"), hosts));
    } else if (n.isArray()) {
      n.forEach(c -> collect(c, endpoint, hosts));
    }
  }
}
