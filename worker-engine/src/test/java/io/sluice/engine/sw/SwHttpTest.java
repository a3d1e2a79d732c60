package io.sluice.engine.sw;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cluster.api.InstanceState;
import io.sluice.cluster.api.InstanceStatus;
import io.sluice.engine.EngineOptions;
import io.sluice.engine.WorkflowEngine;
import io.sluice.model.format.WorkflowLoader;
import io.sluice.runtime.FunctionRuntimes;
import io.sluice.runtime.RuntimeOptions;
import io.sluice.time.SystemScheduler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code call: http} through the {@code http} runtime against a local stand-in for the pet store
 * the conformance kit calls: URI templates and query evaluated per call, headers, a POST body,
 * output filtering, and a 404 caught by status as the kit's try feature does.
 */
class SwHttpTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static List<String> SEEN;
  private static PetStoreStandIn server;
  private static String base;
  private static SystemScheduler scheduler;
  private static FunctionRuntimes runtimes;
  private static WorkflowEngine engine;

  @BeforeAll
  static void start() throws Exception {
    server = new PetStoreStandIn();
    SEEN = server.seen;
    base = server.base();
    scheduler = new SystemScheduler(2);
    runtimes = FunctionRuntimes.load(RuntimeOptions.of(scheduler));
    engine = WorkflowEngine.embedded(EngineOptions.of(runtimes).withThreads(2));
  }

  @AfterAll
  static void stop() {
    engine.close();
    runtimes.close();
    scheduler.close();
    server.close();
  }

  private static InstanceStatus run(String body, String input) throws Exception {
    String text =
        "document: {dsl: '1.0.1', namespace: test, name: h, version: '1'}\n"
            + body.replace("PETSTORE", base);
    String id =
        engine.start(engine.deploy(new WorkflowLoader().load("h.yaml", text)), M.readTree(input));
    InstanceStatus s = engine.completion(id).get(30, TimeUnit.SECONDS);
    assertThat(s.state()).as(String.valueOf(s.error())).isEqualTo(InstanceState.COMPLETED);
    return s;
  }

  @Test
  void uriTemplatesQueryAndHeadersAreEvaluatedPerCallAndOutputFiltered() throws Exception {
    InstanceStatus s =
        run(
            """
            do:
              - getPetById1:
                  call: http
                  with:
                    method: get
                    endpoint: {uri: 'PETSTORE/v2/pet/{petId}'}
                    headers: {X-Trace: '${ "t-" + (.petId | tostring) }'}
                  output: {as: .id}
              - getPetById2:
                  call: http
                  with:
                    method: get
                    endpoint: 'PETSTORE/v2/pet/2'
                  output: {as: '{ ids: [ $input, .id ] }'}
              - find:
                  call: http
                  with:
                    method: get
                    endpoint: 'PETSTORE/v2/pet/findByStatus'
                    query: {status: available}
                  output: {as: '${ $input + {first: .[0].name} }'}
            """,
            "{\"petId\": 1}");
    assertThat(s.output()).isEqualTo(M.readTree("{\"ids\": [1, 2], \"first\": \"rex\"}"));
    assertThat(SEEN).anyMatch(r -> r.startsWith("GET /v2/pet/1 t-1"));
    assertThat(SEEN).anyMatch(r -> r.startsWith("GET /v2/pet/findByStatus?status=available"));
  }

  @Test
  void aPostSendsTheBody() throws Exception {
    JsonNode out =
        run(
                """
                do:
                  - add:
                      call: http
                      with:
                        method: post
                        endpoint: 'PETSTORE/v2/pet'
                        body: {name: '${ .name }', status: sold}
                """,
                "{\"name\": \"milou\"}")
            .output();
    assertThat(out).isEqualTo(M.readTree("{\"name\": \"milou\", \"status\": \"sold\"}"));
  }

  @Test
  void a404IsACommunicationErrorThatACatchTakesByStatus() throws Exception {
    JsonNode out =
        run(
                """
                do:
                  - tryGetPet:
                      try:
                        - getPet:
                            call: http
                            with:
                              method: get
                              endpoint:
                                uri: PETSTORE/v2/pet/getPetByName/{petName}
                      catch:
                        errors:
                          with:
                            type: https://serverlessworkflow.io/spec/1.0.0/errors/communication
                            status: 404
                        as: err
                        do:
                          - setError:
                              set:
                                error: ${ $err }
                """,
                "{\"petName\": \"Milou\"}")
            .output();
    assertThat(out.at("/error/status").asInt()).isEqualTo(404);
    assertThat(out.at("/error/instance").asText()).isEqualTo("/do/0/tryGetPet/try/0/getPet");
    assertThat(out.at("/error/title").asText()).isEqualTo("Http4xx");
  }
}
