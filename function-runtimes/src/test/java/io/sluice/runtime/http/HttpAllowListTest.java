package io.sluice.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.runtime.FunctionException;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.runtime.security.FunctionAllowList;
import io.sluice.time.SystemScheduler;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code http} runtime of a deployment not registered by an admin checks each call's URL once
 * its jq is evaluated: a templated URL may not reach into the worker's network (no SSRF).
 */
class HttpAllowListTest {
  private TestServer server;
  private SystemScheduler scheduler;
  private HttpFunctionRuntime runtime;

  @BeforeEach
  void setUp() throws Exception {
    server = new TestServer();
    scheduler = new SystemScheduler(1);
    // the service by its name and by its address; nothing else inside
    FunctionAllowList allow =
        FunctionAllowList.of(
            List.of(),
            List.of(),
            List.of(),
            List.of(
                "http://localhost:" + server.port() + "/items/*",
                "http://127.0.0.1:" + server.port() + "/items/*",
                "http://metadata.test/*"),
            List.of());
    runtime = new HttpFunctionRuntime(RuntimeOptions.of(scheduler).withAllow(allow));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    server.close();
    scheduler.close();
  }

  private static final String TEMPLATED =
      "{\"url\": \"${ \\\"http://\\\" + .host + \\\"/\\\" + .path }\"}";

  private FunctionException refused(String input) throws Exception {
    try {
      JsonNode out =
          runtime
              .invoke(HttpRuntimeTest.inv(HttpRuntimeTest.fn(TEMPLATED), input))
              .toCompletableFuture()
              .get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a refusal, got " + out);
    } catch (ExecutionException e) {
      return (FunctionException) e.getCause();
    }
  }

  @Test
  void aTemplatedUrlToAnAllowedServiceGoesOut() throws Exception {
    server.answer(200, "application/json", "{\"ok\": true}");
    JsonNode out =
        runtime
            .invoke(
                HttpRuntimeTest.inv(
                    HttpRuntimeTest.fn(TEMPLATED),
                    "{\"host\": \"localhost:" + server.port() + "\", \"path\": \"items/7\"}"))
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertThat(out.path("ok").asBoolean()).isTrue();
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aTemplatedUrlToTheMetadataServiceOrAnotherPathIsRefusedBeforeItGoesOut() throws Exception {
    FunctionException metadata =
        refused("{\"host\": \"169.254.169.254\", \"path\": \"latest/meta-data/\"}");
    assertThat(metadata.type()).isEqualTo(FunctionAllowList.NOT_ALLOWED);
    assertThat(metadata.retryable()).isFalse();
    assertThat(metadata.getMessage())
        .isEqualTo(
            "function 'f' (http) calls URL 'http://169.254.169.254:80/latest/meta-data/', which"
                + " security.allow.http does not allow; register as admin or add it");
    assertThat(refused("{\"host\": \"localhost:" + server.port() + "\", \"path\": \"admin\"}"))
        .hasMessageContaining("/admin', which security.allow.http does not allow");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void anAllowedNameThatResolvesToAnInternalAddressIsRefused() throws Exception {
    // "localhost" under another port: the name pattern does not match; under an allowed name
    // whose address is internal and not named, the address check refuses it
    FunctionAllowList byName =
        FunctionAllowList.of(
            List.of(),
            List.of(),
            List.of(),
            List.of("http://localhost:" + server.port() + "/*"),
            List.of());
    runtime.close();
    runtime = new HttpFunctionRuntime(RuntimeOptions.of(scheduler).withAllow(byName));
    FunctionException e =
        refused("{\"host\": \"localhost:" + server.port() + "\", \"path\": \"items/1\"}");
    assertThat(e.getMessage())
        .contains("whose host resolves to the internal address 127.0.0.1")
        .contains("an entry must name the address");
    assertThat(server.requests).isEmpty();
  }
}
