package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.model.FunctionDef;
import io.sluice.model.Hints;
import io.sluice.model.Location;
import io.sluice.time.SystemScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code {secret: NAME}} settings: resolved on the bound runtime only, never shown. */
class SecretsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static FunctionDef fn(String runtime, String settings) throws Exception {
    return new FunctionDef("f", runtime, JSON.readTree(settings), Location.UNKNOWN);
  }

  private static Invocation call(FunctionDef f) {
    return new Invocation(f, TextNode.valueOf("in"), Long.MAX_VALUE, "i", "n", 1, Hints.NONE);
  }

  @Test
  void aFileWinsOverTheEnvironmentAndNestedReferencesAreResolved() throws Exception {
    Files.writeString(dir.resolve("api_token"), "from-file\n");
    Secrets s =
        new Secrets(
            dir,
            "w1",
            Map.of("SLUICE_SECRET_API_TOKEN", "from-env", "SLUICE_SECRET_DB_PASS", "pw")::get);
    JsonNode settings =
        JSON.readTree(
            "{\"env\":{\"A\":{\"secret\":\"api_token\"}},"
                + "\"list\":[{\"secret\":\"db.pass\"},{\"secret\":\"x\",\"other\":1}]}");
    List<String> values = new ArrayList<>();
    JsonNode out = s.resolve(settings, values);
    assertThat(out.at("/env/A").asText()).isEqualTo("from-file");
    assertThat(out.at("/list/0").asText()).isEqualTo("pw");
    assertThat(out.at("/list/1/other").asInt()).as("two keys: not a reference").isEqualTo(1);
    assertThat(values).containsExactly("from-file", "pw");
    assertThat(settings.at("/env/A/secret").asText())
        .as("the definition keeps the reference")
        .isEqualTo("api_token");
  }

  @Test
  void anUnknownSecretIsNamedNotShown() {
    Secrets s = new Secrets(dir, "w2", name -> null);
    assertThatThrownBy(() -> s.value("api_token"))
        .isInstanceOf(FunctionException.class)
        .hasMessage(
            "secret api_token is not defined on worker w2 (looked in "
                + dir.toAbsolutePath().normalize().resolve("api_token")
                + " and SLUICE_SECRET_API_TOKEN)")
        .extracting(e -> ((FunctionException) e).type())
        .isEqualTo(FunctionException.BAD_CONFIGURATION);
    assertThatThrownBy(() -> s.value("../etc/passwd")).hasMessageContaining("not a plain file");
  }

  @Test
  void validationAcceptsAReferenceWhereAStringGoesAndRefusesABadName() throws Exception {
    try (FunctionRuntimes runtimes =
        FunctionRuntimes.load(RuntimeOptions.of(new io.sluice.time.ManualScheduler()))) {
      assertThat(
              runtimes.check(
                  fn("process", "{\"command\":\"true\",\"env\":{\"T\":{\"secret\":\"api\"}}}")))
          .isEmpty();
      assertThat(
              runtimes.check(
                  fn(
                      "http",
                      "{\"url\":\"http://127.0.0.1:1/x\",\"headers\":{\"Authorization\":"
                          + "{\"secret\":\"bearer\"}}}")))
          .isEmpty();
      assertThat(
              runtimes.check(
                  fn("process", "{\"command\":\"true\",\"env\":{\"T\":{\"secret\":5}}}")))
          .singleElement()
          .extracting(p -> p.message())
          .asString()
          .contains("{secret: NAME} needs NAME");
    }
  }

  @Test
  void aProcessSeesTheValueInItsEnvironmentAndTheDefinitionNever() throws Exception {
    Files.writeString(dir.resolve("api_token"), "s3cr3t-planted");
    try (SystemScheduler scheduler = new SystemScheduler(1);
        FunctionRuntimes runtimes =
            FunctionRuntimes.load(
                RuntimeOptions.of(scheduler).withSecrets(Secrets.of(dir, "w1")))) {
      FunctionDef f =
          fn(
              "process",
              "{\"command\":[\"sh\",\"-c\",\"cat >/dev/null; printf '\\\"%s\\\"' \\\"$TOKEN\\\"\"],"
                  + "\"env\":{\"TOKEN\":{\"secret\":\"api_token\"}}}");
      JsonNode out = runtimes.invoke(call(f)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(out.asText()).isEqualTo("s3cr3t-planted");
      assertThat(f.settings().toString()).doesNotContain("s3cr3t");
    }
  }

  @Test
  void aFailureQuotingTheValueIsMasked() throws Exception {
    Files.writeString(dir.resolve("k"), "hunter2hunter2");
    FunctionRuntime leaky =
        new FunctionRuntime() {
          @Override
          public String kind() {
            return "leaky";
          }

          @Override
          public CompletionStage<JsonNode> invoke(Invocation inv) {
            return CompletableFuture.failedFuture(
                new FunctionException(
                    FunctionException.FUNCTION_FAILED,
                    "refused key " + inv.function().settings().get("key").asText(),
                    true));
          }
        };
    try (FunctionRuntimes runtimes =
        FunctionRuntimes.load(
                RuntimeOptions.of(new io.sluice.time.ManualScheduler())
                    .withSecrets(Secrets.of(dir, "w1")))
            .register(leaky)) {
      FunctionDef f = fn("leaky", "{\"key\":{\"secret\":\"k\"}}");
      assertThatThrownBy(() -> runtimes.invoke(call(f)).toCompletableFuture().join())
          .hasRootCauseMessage("refused key ***")
          .rootCause()
          .satisfies(e -> assertThat(((FunctionException) e).retryable()).isTrue());
    }
  }
}
