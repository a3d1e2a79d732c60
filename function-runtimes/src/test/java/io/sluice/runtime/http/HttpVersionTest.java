package io.sluice.runtime.http;

import static io.sluice.runtime.http.HttpRuntimeTest.fn;
import static io.sluice.runtime.http.HttpRuntimeTest.inv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.FunctionDef;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code httpVersion}: HTTP/2 over cleartext through the h2c upgrade (the first request upgrades
 * the connection, the next ones are HTTP/2 streams on it), and HTTP/1.1 by default, against a
 * server that speaks both.
 */
class HttpVersionTest {
  private H2cServer server;
  private SystemScheduler scheduler;
  private HttpFunctionRuntime runtime;

  @BeforeEach
  void setUp() throws Exception {
    server = new H2cServer();
    scheduler = new SystemScheduler(1);
    runtime = new HttpFunctionRuntime(RuntimeOptions.of(scheduler));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    server.close();
    scheduler.close();
  }

  private JsonNode call(FunctionDef f, String input) throws Exception {
    return runtime.invoke(inv(f, input)).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void http2UpgradesTheCleartextConnectionAndKeepsUsingIt() throws Exception {
    FunctionDef f =
        fn("{\"url\": \"http://127.0.0.1:" + server.port() + "/f\", \"httpVersion\": \"HTTP_2\"}");
    for (int i = 0; i < 3; i++) {
      JsonNode out = call(f, "{\"n\": " + i + "}");
      assertThat(out.get("protocol").asText()).as("call " + i).isEqualTo("HTTP/2");
      assertThat(out.get("bytes").asInt()).isEqualTo(("{\"n\":" + i + "}").length());
    }
  }

  @Test
  void http11IsTheDefault() throws Exception {
    FunctionDef f = fn("{\"url\": \"http://127.0.0.1:" + server.port() + "/f\"}");
    assertThat(call(f, "{}").get("protocol").asText()).isEqualTo("HTTP/1.1");
  }
}
