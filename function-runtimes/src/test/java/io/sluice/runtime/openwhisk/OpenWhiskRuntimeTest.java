package io.sluice.runtime.openwhisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.runtime.CallTime;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.Invocation;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code openwhisk} runtime against {@link OpenWhiskStandIn}, a stand-in written from
 * OpenWhisk's REST API (not an OpenWhisk controller): paths, auth, the activation statuses and HTTP
 * refusals as typed errors, 202 and polling, and the settings' validation.
 */
class OpenWhiskRuntimeTest {
  private static final ObjectMapper M = new ObjectMapper();

  @TempDir Path tmp;
  private OpenWhiskStandIn standIn;
  private SystemScheduler scheduler;
  private OpenWhiskFunctionRuntime runtime;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    standIn = new OpenWhiskStandIn();
    env.put("OW_KEY", standIn.key);
    scheduler = new SystemScheduler(1);
    runtime = new OpenWhiskFunctionRuntime(RuntimeOptions.of(scheduler), env::get);
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    scheduler.close();
    standIn.close();
  }

  private FunctionDef fn(String action, Object... more) {
    ObjectNode s = M.createObjectNode().put("apiHost", standIn.apiHost()).put("authEnv", "OW_KEY");
    if (action != null) {
      s.put("action", action);
    }
    for (int i = 0; i < more.length; i += 2) {
      if (more[i + 1] == null) {
        s.remove((String) more[i]);
      } else {
        s.set((String) more[i], M.valueToTree(more[i + 1]));
      }
    }
    return new FunctionDef("ow", "openwhisk", s, Location.of("flow.yaml", 7));
  }

  private CompletionStage<JsonNode> call(FunctionDef f, String input, CallTime time)
      throws Exception {
    return runtime.invoke(
        new Invocation(f, M.readTree(input), Long.MAX_VALUE, "i-1", "n-1", 2, Hints.NONE, time));
  }

  private JsonNode output(FunctionDef f, String input) throws Exception {
    return call(f, input, null).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private FunctionException failure(FunctionDef f, String input) throws Exception {
    try {
      JsonNode out = call(f, input, null).toCompletableFuture().get(30, TimeUnit.SECONDS);
      return fail("expected a failure, got " + out);
    } catch (ExecutionException e) {
      return FunctionException.of(e);
    }
  }

  @Test
  void invokesAPackagedActionWithItsParametersAndReportsTheActivationsDuration() throws Exception {
    standIn.action(
        "shop tools/upper",
        (p, n) -> {
          Thread.sleep(30);
          return OpenWhiskStandIn.Outcome.success(
              M.createObjectNode().put("text", p.get("text").asText().toUpperCase()));
        });
    CallTime time = new CallTime();
    JsonNode out =
        call(fn("shop tools/upper", "namespace", "guest"), "{\"text\":\"héllo\"}", time)
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertThat(out).isEqualTo(M.readTree("{\"text\":\"HÉLLO\"}"));
    assertThat(standIn.requests)
        .containsExactly("POST /api/v1/namespaces/guest/actions/shop%20tools/upper");
    assertThat(time.computeNanos(-1)).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
  }

  @Test
  void theKeysTravelInHeadersOfTheInvokeRequestAndNotInTheParameters() throws Exception {
    standIn.action("echo", (p, n) -> OpenWhiskStandIn.Outcome.success(p));
    assertThat(output(fn("echo"), "{\"a\":1}")).isEqualTo(M.readTree("{\"a\":1}"));
    assertThat(standIn.keyHeaders).containsExactly("i-1/n-1@2 i-1/n-1");
  }

  @Test
  void fullyQualifiedActionNamesItsNamespaceAndNullInputIsAnEmptyObject() throws Exception {
    standIn.action("echo", (p, n) -> OpenWhiskStandIn.Outcome.success(p));
    assertThat(output(fn("/guest/echo"), "null")).isEqualTo(M.createObjectNode());
    assertThat(output(fn("echo"), "{\"a\":[1,2]}")).isEqualTo(M.readTree("{\"a\":[1,2]}"));
    assertThat(standIn.requests)
        .containsExactly(
            "POST /api/v1/namespaces/guest/actions/echo", "POST /api/v1/namespaces/_/actions/echo");
  }

  @Test
  void activationStatusesBecomeTypedRetryableErrors() throws Exception {
    standIn.action(
        "declined", (p, n) -> OpenWhiskStandIn.Outcome.error(1, Map.of("reason", "card declined")));
    standIn.action(
        "crash",
        (p, n) ->
            OpenWhiskStandIn.Outcome.error(
                2, "The action did not produce a valid response and exited unexpectedly."));
    standIn.action("broken", (p, n) -> OpenWhiskStandIn.Outcome.error(3, "invoker lost"));

    FunctionException app = failure(fn("declined"), "{}");
    assertThat(app.type()).isEqualTo(OpenWhiskErrors.APPLICATION_ERROR);
    assertThat(app.retryable()).isTrue();
    assertThat(app.getMessage())
        .contains("function 'ow'", "/_/declined", "node 'n-1'", "attempt 2", "activation ")
        .contains("application error", "card declined");

    FunctionException dev = failure(fn("crash"), "{}");
    assertThat(dev.type()).isEqualTo(OpenWhiskErrors.DEVELOPER_ERROR);
    assertThat(dev.getMessage()).contains("action developer error", "exited unexpectedly");

    FunctionException internal = failure(fn("broken"), "{}");
    assertThat(internal.type()).isEqualTo(OpenWhiskErrors.WHISK_INTERNAL_ERROR);
    assertThat(internal.getMessage()).contains("invoker lost");
  }

  @Test
  void controllerRefusalsAreTypedByTheirStatus() throws Exception {
    standIn.action("busy", (p, n) -> OpenWhiskStandIn.Outcome.throttle());
    standIn.action("echo", (p, n) -> OpenWhiskStandIn.Outcome.success(p));

    FunctionException throttled = failure(fn("busy"), "{}");
    assertThat(throttled.type()).isEqualTo(OpenWhiskErrors.THROTTLED);
    assertThat(throttled.retryable()).isTrue();
    assertThat(throttled.getMessage()).contains("HTTP 429", "Too many requests");

    FunctionException missing = failure(fn("nothing-here"), "{}");
    assertThat(missing.type()).isEqualTo(OpenWhiskErrors.NOT_FOUND);
    assertThat(missing.retryable()).isFalse();
    assertThat(missing.getMessage()).contains("/_/nothing-here", "does not exist");

    FunctionException forbidden = failure(fn("echo", "namespace", "other"), "{}");
    assertThat(forbidden.type()).isEqualTo(OpenWhiskErrors.FORBIDDEN);

    env.put("OW_KEY", "0000:wrong");
    FunctionException unauthorized = failure(fn("echo"), "{}");
    assertThat(unauthorized.type()).isEqualTo(OpenWhiskErrors.UNAUTHORIZED);
    assertThat(unauthorized.retryable()).isFalse();
    assertThat(unauthorized.getMessage()).doesNotContain("wrong");

    env.put("OW_KEY", standIn.key);
    String big = "{\"s\":\"" + "x".repeat(OpenWhiskStandIn.MAX_BODY) + "\"}";
    FunctionException tooLarge = failure(fn("echo"), big);
    assertThat(tooLarge.type()).isEqualTo(OpenWhiskErrors.PAYLOAD_TOO_LARGE);
    assertThat(tooLarge.retryable()).isFalse();
  }

  @Test
  void anActivationThatOutlastsTheBlockingWaitIsPolledUntilItsResultIsStored() throws Exception {
    standIn.blockingWait = Duration.ofMillis(100);
    standIn.action(
        "long",
        (p, n) -> {
          Thread.sleep(900);
          return OpenWhiskStandIn.Outcome.success(M.createObjectNode().put("done", true));
        });
    assertThat(output(fn("long"), "{}")).isEqualTo(M.readTree("{\"done\":true}"));
    long polls =
        standIn.requests.stream()
            .filter(r -> r.startsWith("GET ") && r.endsWith("/result"))
            .count();
    assertThat(polls).isGreaterThanOrEqualTo(2);
    assertThat(standIn.requests.get(1)).matches("GET /api/v1/namespaces/_/activations/\\w+/result");

    standIn.action(
        "longFail",
        (p, n) -> {
          Thread.sleep(400);
          return OpenWhiskStandIn.Outcome.error(1, "late failure");
        });
    FunctionException late = failure(fn("longFail"), "{}");
    assertThat(late.type()).isEqualTo(OpenWhiskErrors.APPLICATION_ERROR);
    assertThat(late.getMessage()).contains("late failure");
  }

  @Test
  void aTimeoutSettingStopsPollingWithTimeout() throws Exception {
    standIn.blockingWait = Duration.ofMillis(100);
    standIn.action(
        "stuck",
        (p, n) -> {
          Thread.sleep(60_000);
          return OpenWhiskStandIn.Outcome.success(p);
        });
    FunctionException e = failure(fn("stuck", "timeout", "700ms"), "{}");
    assertThat(e.type()).isEqualTo(FunctionException.TIMEOUT);
    assertThat(e.getMessage()).contains("n-1");
  }

  @Test
  void theKeyIsReadFromAFileAndReadAgainWhenTheFileChanges() throws Exception {
    standIn.action("echo", (p, n) -> OpenWhiskStandIn.Outcome.success(p));
    Path key = tmp.resolve("ow.key");
    Files.writeString(key, standIn.key + "\n");
    FunctionDef f = fn("echo", "authEnv", null, "authFile", key.toString());
    assertThat(output(f, "{\"k\":1}")).isEqualTo(M.readTree("{\"k\":1}"));

    Files.writeString(key, "1111:rotated-away");
    Files.setLastModifiedTime(key, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(failure(f, "{}").type()).isEqualTo(OpenWhiskErrors.UNAUTHORIZED);

    Files.writeString(key, "no colon here");
    Files.setLastModifiedTime(key, FileTime.from(Instant.now().plusSeconds(10)));
    FunctionException malformed = failure(f, "{}");
    assertThat(malformed.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(malformed.getMessage()).contains(key.toString(), "UUID:KEY");
    assertThat(malformed.getMessage()).doesNotContain("no colon here");
  }

  @Test
  void aMissingKeyOrANonObjectInputFailsForGoodBeforeAnyRequest() throws Exception {
    FunctionException noVar = failure(fn("echo", "authEnv", "OW_UNSET_KEY"), "{}");
    assertThat(noVar.type()).isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThat(noVar.retryable()).isFalse();
    assertThat(noVar.getMessage()).contains("'authEnv'", "OW_UNSET_KEY", "not set");

    FunctionException noFile =
        failure(fn("echo", "authEnv", null, "authFile", tmp.resolve("none").toString()), "{}");
    assertThat(noFile.getMessage()).contains("'authFile'", "cannot be read");

    FunctionException array = failure(fn("echo"), "[1,2]");
    assertThat(array.type()).isEqualTo(OpenWhiskErrors.BAD_INPUT);
    assertThat(array.retryable()).isFalse();
    assertThat(array.getMessage()).contains("JSON object", "array");
    assertThat(standIn.requests).isEmpty();
  }

  @Test
  void validateNamesTheWrongSetting() {
    runtime.validate(fn("pkg/echo", "namespace", "guest", "timeout", "30s"));
    runtime.validate(fn("/guest/pkg/echo"));
    assertThatThrownBy(() -> runtime.validate(fn(null)))
        .hasMessageContaining("function 'ow' (flow.yaml:7): setting 'action' is required");
    assertThatThrownBy(() -> runtime.validate(fn("echo", "apiHost", null)))
        .hasMessageContaining("setting 'apiHost' is required");
    assertThatThrownBy(() -> runtime.validate(fn("echo", "apiHost", "ftp://host")))
        .hasMessageContaining("setting 'apiHost' must be an http or https URL");
    assertThatThrownBy(() -> runtime.validate(fn("a/b/c")))
        .hasMessageContaining("setting 'action' must be name or package/name");
    assertThatThrownBy(() -> runtime.validate(fn("bad?name")))
        .hasMessageContaining("setting 'action' has an invalid name part 'bad?name'");
    assertThatThrownBy(() -> runtime.validate(fn("/guest/echo", "namespace", "other")))
        .hasMessageContaining("setting 'namespace' is 'other' but setting 'action' names");
    assertThatThrownBy(() -> runtime.validate(fn("echo", "authEnv", null)))
        .hasMessageContaining("setting 'authEnv' or 'authFile' (exactly one)");
    assertThatThrownBy(() -> runtime.validate(fn("echo", "authFile", "/k")))
        .hasMessageContaining("(exactly one)");
    assertThatThrownBy(() -> runtime.validate(fn("echo", "authEnv", "1-bad")))
        .hasMessageContaining("setting 'authEnv' must be an environment variable name");
    assertThatThrownBy(() -> runtime.validate(fn("echo", "timeout", "soon")))
        .hasMessageContaining("setting 'timeout'");
  }

  @Test
  void theRuntimeIsFoundThroughTheProviderInterface() {
    try (FunctionRuntimes all = FunctionRuntimes.load(RuntimeOptions.of(scheduler))) {
      assertThat(all.kinds()).contains("openwhisk");
      assertThat(all.check(fn(null)))
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("setting 'action' is required"));
    }
  }
}
