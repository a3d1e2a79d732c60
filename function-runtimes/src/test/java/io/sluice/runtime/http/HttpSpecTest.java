package io.sluice.runtime.http;

import static io.sluice.runtime.http.HttpRuntimeTest.fn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.model.DefinitionException;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code validate} refuses, each with a message naming the setting; what presets and defaults
 * set; and Retry-After parsing.
 */
class HttpSpecTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {}                                                                   | url   | is required
          {"url": "ftp://h/f"}                                                 | url   | http:// or https://
          {"url": "http:///nohost"}                                            | url   | no host
          {"url": "http://u:p@h/f"}                                            | url   | credentials
          {"url": "http://h/f", "format": "xml"}                               | format | must be one of [json, cloudevents-binary, cloudevents-structured]
          {"url": "http://h/f", "preset": "lambda"}                            | preset | must be one of [knative, openfaas, gcf, azure]
          {"url": "http://h/f", "token": "abc"}                                | token | tokenEnv
          {"url": "http://h/f", "formt": "json"}                               | formt | not a setting of the http runtime
          {"url": "http://h/f", "tokenEnv": "A", "tokenFile": "/t"}            | tokenFile | conflicts with tokenEnv
          {"url": "http://h/f", "tokenEnv": "Bearer xyz"}                      | tokenEnv | environment variable's name
          {"url": "http://h/f", "tokenFile": "rel/token"}                      | tokenFile | absolute path
          {"url": "http://h/f", "tokenEnv": "T", "headers": {"authorization": "x"}} | headers | conflicts with tokenEnv: T
          {"url": "http://h/f", "headers": {"Content-Type": "text/plain"}}     | headers | from format
          {"url": "http://h/f", "headers": {"Host": "x"}}                      | headers | HTTP framing
          {"url": "http://h/f", "headers": {"bad name": "x"}}                  | headers | not an HTTP header name
          {"url": "http://h/f", "format": "cloudevents-binary", "headers": {"ce-id": "1"}} | headers | eventType
          {"url": "http://h/f", "eventType": "t"}                              | eventType | only to the CloudEvents formats
          {"url": "http://h/f", "format": "cloudevents-binary", "method": "PUT"} | method | must be POST
          {"url": "http://h/f", "method": "post"}                              | method | capitals
          {"url": "${ .x ) }"}                                                 | url   | not a valid jq expression
          {"url": "http://h/f", "headers": {"X": "${ }"}}                      | headers.X | empty jq expression
          {"url": "http://h/f", "httpVersion": "HTTP_3"}                       | httpVersion | HTTP_1_1 or HTTP_2
          {"url": "http://h/f", "functionName": "x"}                           | functionName | only with preset openfaas or azure (no preset is set)
          {"url": "http://h/f", "preset": "gcf", "routePrefix": "x"}           | routePrefix | only with preset azure
          {"url": "http://h", "preset": "gcf", "signatureType": "event"}       | signatureType | legacy background
          {"url": "http://h", "preset": "gcf", "format": "cloudevents-binary"} | format | signatureType
          {"url": "http://h", "preset": "gcf", "signatureType": "cloudevent", "format": "json"} | format | takes a CloudEvent
          {"url": "http://h/function/x", "preset": "openfaas"}                 | url   | base URL (no path) with preset openfaas, which adds /function/NAME
          {"url": "http://h/api/x", "preset": "azure"}                         | url   | /ROUTE_PREFIX/NAME
          {"url": "http://h", "preset": "azure", "functionName": "a/b"}        | functionName | one path segment
          {"url": "http://h/f", "timeout": "soon"}                             | timeout | duration
          {"url": "http://h/f", "maxRetryAfter": 5}                            | maxRetryAfter | duration
          """)
  void badSettingsAreRefusedNamingTheSetting(String settings, String setting, String problem)
      throws Exception {
    assertThatThrownBy(() -> HttpSpec.of(fn(settings)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("function 'f' (test.yaml:3)")
        .hasMessageContaining("setting '" + setting + "'")
        .hasMessageContaining(problem);
  }

  @Test
  void theRuntimeIsFoundByKindAndValidationReportsAProblem() throws Exception {
    try (SystemScheduler s = new SystemScheduler(1);
        FunctionRuntimes runtimes = FunctionRuntimes.load(RuntimeOptions.of(s))) {
      assertThat(runtimes.kinds()).contains("http");
      assertThat(runtimes.check(fn("{\"url\": \"http://127.0.0.1:1/f\"}"))).isEmpty();
      assertThatThrownBy(() -> runtimes.validate(fn("{\"url\": \"http://h\", \"token\": \"t\"}")))
          .isInstanceOf(DefinitionException.class)
          .hasMessageContaining("test.yaml:3")
          .hasMessageContaining("must not be written in the definition");
    }
  }

  @Test
  void defaultsAndPresets() throws Exception {
    HttpSpec plain = HttpSpec.of(fn("{\"url\": \"https://fn.example/run?x=1\"}"));
    assertThat(plain.format).isEqualTo(Format.JSON);
    assertThat(plain.version).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(plain.fixedUri.toString()).isEqualTo("https://fn.example/run?x=1");
    assertThat(plain.maxRetryAfter).isEqualTo(HttpSpec.DEFAULT_MAX_RETRY_AFTER);
    assertThat(plain.hasExpressions).isFalse();

    HttpSpec knative = HttpSpec.of(fn("{\"url\": \"http://svc.ns.svc\", \"preset\": \"knative\"}"));
    assertThat(knative.format).isEqualTo(Format.CLOUDEVENTS_BINARY);
    HttpSpec structured =
        HttpSpec.of(
            fn(
                "{\"url\": \"http://svc\", \"preset\": \"knative\","
                    + " \"format\": \"cloudevents-structured\", \"httpVersion\": \"HTTP_2\"}"));
    assertThat(structured.format).isEqualTo(Format.CLOUDEVENTS_STRUCTURED);
    assertThat(structured.version).isEqualTo(HttpClient.Version.HTTP_2);

    HttpSpec openfaas =
        HttpSpec.of(
            fn(
                "{\"url\": \"http://gw:8080/\", \"preset\": \"openfaas\", \"functionName\": \"nodeinfo\"}"));
    assertThat(openfaas.fixedUri.toString()).isEqualTo("http://gw:8080/function/nodeinfo");
    HttpSpec azure =
        HttpSpec.of(
            fn(
                "{\"url\": \"https://app.azurewebsites.net\", \"preset\": \"azure\", \"tokenEnv\": \"K\"}"));
    assertThat(azure.fixedUri.toString()).isEqualTo("https://app.azurewebsites.net/api/f");
    assertThat(azure.authHeader).isEqualTo("x-functions-key");
    HttpSpec gcf =
        HttpSpec.of(
            fn(
                "{\"url\": \"https://r-p.cloudfunctions.net/f\", \"preset\": \"gcf\", \"tokenEnv\": \"T\"}"));
    assertThat(gcf.format).isEqualTo(Format.JSON);
    assertThat(gcf.authHeader).isEqualTo("Authorization");
    assertThat(gcf.textReplies).isFalse();
    HttpSpec gcfEvents =
        HttpSpec.of(
            fn("{\"url\": \"http://h/\", \"preset\": \"gcf\", \"signatureType\": \"cloudevent\"}"));
    assertThat(gcfEvents.format).isEqualTo(Format.CLOUDEVENTS_BINARY);
    assertThat(gcfEvents.textReplies).isTrue();
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDateAndIsCapped() {
    Instant now = Instant.parse("2015-10-21T07:27:00Z");
    Duration max = Duration.ofMinutes(5);
    assertThat(RetryAfter.parse("120", now, max)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now, max))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now, max)).isZero();
    assertThat(RetryAfter.parse("99999999999999999999", now, max)).isEqualTo(max);
    assertThat(RetryAfter.parse("3600", now, max)).isEqualTo(max);
    assertThat(RetryAfter.parse("soon", now, max)).isZero();
    assertThat(RetryAfter.parse(null, now, max)).isZero();
  }
}
