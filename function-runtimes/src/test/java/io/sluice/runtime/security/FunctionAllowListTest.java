package io.sluice.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.FunctionDef;
import io.sluice.model.Location;
import io.sluice.runtime.FunctionException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code security.allow} lets a workflow registered without the admin role run. */
class FunctionAllowListTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FunctionAllowList allow =
      FunctionAllowList.of(
          List.of("python3", "/opt/fns/*", "tr a-z A-Z"),
          List.of("sluice/fn-python:*"),
          List.of("com.example.*"),
          List.of("https://api.example.com/items/*", "http://127.0.0.1:9000/*"),
          List.of("resize-*", "media/thumbnail"));

  static FunctionDef fn(String name, String runtime, String settingsJson) {
    try {
      return new FunctionDef(
          name,
          runtime,
          (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(settingsJson),
          Location.of("functions.yaml", 3));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<String> refusal(String runtime, String settings) {
    return allow.refusal(fn("f", runtime, settings));
  }

  @Test
  void processFunctionsAreCheckedByTheirProgramOrWholeCommandLine() {
    assertThat(allow.refusal(fn("evil", "process", "{\"command\": [\"id\"]}")))
        .contains(
            "function 'evil' (process) runs command 'id', which security.allow.commands does not"
                + " allow; register as admin or add it");
    assertThat(refusal("process", "{\"command\": [\"python3\", \"x.py\"]}")).isEmpty();
    assertThat(refusal("process", "{\"command\": [\"/opt/fns/resize\"]}")).isEmpty();
    assertThat(refusal("process", "{\"command\": [\"/opt/fns/../../bin/sh\"]}"))
        .get()
        .asString()
        .contains("climbs out with '..'");
    // a shell string is allowed as a whole, an entry with a space names the arguments too
    assertThat(refusal("process", "{\"command\": \"tr a-z A-Z\"}")).isEmpty();
    assertThat(refusal("process", "{\"command\": \"tr a-z A-Z; id\"}")).isPresent();
    assertThat(refusal("process", "{\"command\": [\"tr\", \"a-z\", \"A-Z\"]}")).isEmpty();
    assertThat(refusal("process", "{\"command\": [\"tr\", \"-d\", \"x\"]}")).isPresent();
  }

  @Test
  void anAllowedCommandCannotBeMadeToLoadOtherCode() {
    assertThat(refusal("process", "{\"command\": [\"python3\"], \"env\": {\"LC_ALL\": \"C\"}}"))
        .isEmpty();
    for (String k : List.of("PATH", "LD_PRELOAD", "PYTHONPATH", "BASH_ENV", "NODE_OPTIONS")) {
      assertThat(
              refusal(
                  "process", "{\"command\": [\"python3\"], \"env\": {\"" + k + "\": \"/tmp\"}}"))
          .as(k)
          .contains(
              "function 'f' (process) sets the variable "
                  + k
                  + ", which changes what code its command runs; only an admin's workflow may set"
                  + " it");
    }
  }

  @Test
  void imagesClassesAndCloudFunctionsAreCheckedByName() {
    assertThat(refusal("docker", "{\"image\": \"sluice/fn-python:local\"}")).isEmpty();
    assertThat(refusal("docker", "{\"image\": \"alpine\"}"))
        .contains(
            "function 'f' (docker) runs image 'alpine', which security.allow.images does not allow;"
                + " register as admin or add it");
    assertThat(refusal("java", "{\"class\": \"com.example.Hello\"}")).isEmpty();
    assertThat(refusal("java", "{\"class\": \"org.evil.Boot\"}"))
        .get()
        .asString()
        .contains("loads class 'org.evil.Boot', which security.allow.classes");
    assertThat(refusal("java", "{\"name\": \"sluice.echo\"}")).isEmpty();
    assertThat(refusal("aws-lambda", "{\"function\": \"resize-image\"}")).isEmpty();
    assertThat(refusal("aws-lambda", "{\"function\": \"charge\"}"))
        .get()
        .asString()
        .contains("calls cloud function 'charge', which security.allow.cloud");
    assertThat(
            refusal(
                "aws-lambda",
                "{\"function\": \"resize-x\", \"endpoint\": \"http://169.254.169.254/\"}"))
        .get()
        .asString()
        .contains("security.allow.http");
    assertThat(
            refusal(
                "openwhisk",
                "{\"apiHost\": \"http://127.0.0.1:9000/\", \"action\": \"media/thumbnail\","
                    + " \"authEnv\": \"SLUICE_SECRET_OW\"}"))
        .isEmpty();
    assertThat(
            refusal(
                "openwhisk",
                "{\"apiHost\": \"http://127.0.0.1:9000/\", \"action\": \"media/thumbnail\","
                    + " \"authFile\": \"/etc/shadow\"}"))
        .get()
        .asString()
        .contains("reads its token from the worker's file '/etc/shadow'");
    assertThat(refusal("emit", "{}")).isEmpty(); // the engine routes the event: nothing runs
    assertThat(refusal("synthetic", "{}")).isEmpty();
    assertThat(refusal("synthetic", "{\"container\": \"docker\", \"image\": \"alpine\"}"))
        .isPresent();
    assertThat(refusal("knative-x", "{}"))
        .get()
        .asString()
        .contains("uses runtime 'knative-x', which no security.allow key covers");
    assertThat(FunctionAllowList.ANY.refusal(fn("evil", "process", "{\"command\": [\"id\"]}")))
        .isEmpty();
  }

  @Test
  void httpUrlsAreCheckedAsWrittenWhenFixedAndPerCallWhenComputed() {
    assertThat(refusal("http", "{\"url\": \"https://api.example.com/items/7\"}")).isEmpty();
    assertThat(refusal("http", "{\"url\": \"https://api.example.com:443/items/7?q=1\"}")).isEmpty();
    assertThat(refusal("http", "{\"url\": \"https://api.example.com/items/../admin\"}"))
        .isPresent();
    assertThat(refusal("http", "{\"url\": \"http://169.254.169.254/latest/meta-data/\"}"))
        .contains(
            "function 'f' (http) calls URL 'http://169.254.169.254:80/latest/meta-data/', which"
                + " security.allow.http does not allow; register as admin or add it");
    assertThat(
            refusal("http", "{\"url\": \"https://x.example.com/\", \"tokenEnv\": \"AWS_SECRET\"}"))
        .get()
        .asString()
        .contains("variable 'AWS_SECRET'");
    // jq: decided per call; refused at once only when no URL at all is allowed
    assertThat(refusal("http", "{\"url\": \"${ \\\"https://\\\" + .host + \\\"/\\\" }\"}"))
        .isEmpty();
    FunctionAllowList noHttp =
        FunctionAllowList.of(List.of(), List.of(), List.of(), List.of(), List.of());
    assertThat(noHttp.refusal(fn("f", "http", "{\"url\": \"${ .u }\"}")))
        .get()
        .asString()
        .contains("calls a URL computed per call, and security.allow.http allows none");
  }

  @Test
  void aCallToANameThatResolvesInsideNeedsTheAddressAllowedToo() {
    FunctionDef f = fn("f", "http", "{\"url\": \"${ .u }\"}");
    FunctionAllowList byName =
        FunctionAllowList.of(
            List.of(), List.of(), List.of(), List.of("http://localhost:9000/*"), List.of());
    assertThatThrownBy(() -> byName.checkCall(f, URI.create("http://localhost:9000/run")))
        .isInstanceOf(FunctionException.class)
        .satisfies(e -> assertThat(((FunctionException) e).type()).isEqualTo("NotAllowed"))
        .satisfies(e -> assertThat(((FunctionException) e).retryable()).isFalse())
        .hasMessageContaining("whose host resolves to the internal address 127.0.0.1")
        .hasMessageContaining("'http://127.0.0.1:9000/run'");
    FunctionAllowList both =
        FunctionAllowList.of(
            List.of(),
            List.of(),
            List.of(),
            List.of("http://localhost:9000/*", "http://127.0.0.1:9000/*"),
            List.of());
    both.checkCall(f, URI.create("http://localhost:9000/run"));
    assertThatThrownBy(
            () -> both.checkCall(f, URI.create("http://169.254.169.254/latest/meta-data/")))
        .hasMessageContaining("calls URL 'http://169.254.169.254:80/latest/meta-data/'");
  }

  @Test
  void internalAddressesAreTheWorkersOwnAndPrivateNetworks() throws Exception {
    for (String a :
        List.of(
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1")) {
      assertThat(FunctionAllowList.internal(InetAddress.getByName(a))).as(a).isTrue();
    }
    for (String a : List.of("8.8.8.8", "100.128.0.1", "2001:4860:4860::8888")) {
      assertThat(FunctionAllowList.internal(InetAddress.getByName(a))).as(a).isFalse();
    }
  }

  @Test
  void globsMatchAnyRunOfCharactersAndNothingElse() {
    assertThat(Glob.matches("a*c", "abbbc")).isTrue();
    assertThat(Glob.matches("a*c", "ac")).isTrue();
    assertThat(Glob.matches("a*c", "acb")).isFalse();
    assertThat(Glob.matches("*", "")).isTrue();
    assertThat(Glob.matches("a?c", "abc")).isFalse();
    assertThat(Glob.matches("x*y*z", "xyz")).isTrue();
    assertThat(Glob.matches("ab*ab", "ab")).isFalse();
  }
}
