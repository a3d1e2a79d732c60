package io.sluice.model.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.model.DefinitionException;
import io.sluice.model.Problem;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MalformedDocumentTest {

  private static List<Problem> faasflowProblems(String yaml) {
    return problems(new FaasflowImporter(), "bad.yaml", yaml);
  }

  private static List<Problem> problems(WorkflowImporter importer, String file, String text) {
    DefinitionException e =
        catchThrowableOfType(
            DefinitionException.class, () -> importer.read(SourceDocument.parse(file, text)));
    assertThat(e).as("a DefinitionException").isNotNull();
    return e.problems();
  }

  @Test
  void aDocumentWithoutAMappingIsAnErrorAtItsFirstLineOrItsValue() {
    WorkflowLoader loader = new WorkflowLoader();
    for (String[] c :
        new String[][] {
          {"empty.yaml", "# only a comment\n\n", "1", "an empty document"},
          {"empty.json", "  \n", "1", "an empty document"},
          {"scalar.yaml", "\n\nsluice\n", "3", "a document that is a single string"},
          {"number.json", "\n 42", "2", "a document that is a single number"}
        }) {
      DefinitionException e =
          catchThrowableOfType(DefinitionException.class, () -> loader.load(c[0], c[1]));
      assertThat(e.problems()).as(c[0]).hasSize(1);
      assertThat(e.problems().get(0).location().line()).as(c[0]).isEqualTo(Integer.parseInt(c[2]));
      assertThat(e.problems().get(0).message()).as(c[0]).contains("found " + c[3]);
    }
  }

  @Test
  void faasflowUnknownSuccessorIsReportedAtItsLine() {
    List<Problem> p =
        faasflowProblems(
            """
            functions:
            - name: a
              source: a
              runtime: 1
              next:
                type: pass
                nodes:
                - nowhere
            """);
    assertThat(p).hasSize(1);
    assertThat(p.get(0).nodeId()).isEqualTo("a");
    assertThat(p.get(0).location().line()).isEqualTo(7);
    assertThat(p.get(0).message()).contains("nowhere");
  }

  @Test
  void faasflowUnsupportedConditionNamesTheSwitchAndLine() {
    List<Problem> p =
        faasflowProblems(
            """
            functions:
            - name: a
              source: a
              next: {type: pass, nodes: [v]}
            - name: v
              source: VIRTUAL
              next:
                type: switch
                conditions:
                  - len(INPUT.x) > 2
                  - default
                nodes: [b, c]
            - name: b
              source: b
            - name: c
              source: c
              runtime: -1
            """);
    assertThat(p).extracting(Problem::nodeId).containsExactly("v", "c");
    assertThat(p.get(0).location().line()).isEqualTo(9);
    assertThat(p.get(0).message()).contains("unsupported switch condition");
    assertThat(p.get(1).location().line()).isEqualTo(17);
  }

  @Test
  void faasflowForeachWithoutKeysAndDuplicateNames() {
    List<Problem> p =
        faasflowProblems(
            """
            functions:
            - name: a
              source: a
              next: {type: foreach, nodes: [b]}
            - name: b
              source: b
            - name: b
              source: b
            """);
    assertThat(p).extracting(Problem::message).filteredOn(m -> m.contains("type: keys")).hasSize(1);
    assertThat(p).extracting(Problem::message).anyMatch(m -> m.contains("duplicate name"));
  }

  @Test
  void wfformatUnknownParentIsReportedAtItsLine() {
    String json =
        """
        {"name": "t", "schemaVersion": "1.5", "workflow": {"specification": {
          "tasks": [
            {"name": "a", "id": "a_ID1", "parents": [], "children": []},
            {"name": "b", "id": "b_ID2",
             "parents": ["ghost"], "children": []}
          ]}}}
        """;
    List<Problem> p = problems(new WfformatImporter(), "bad.json", json);
    assertThat(p).hasSize(1);
    assertThat(p.get(0).nodeId()).isEqualTo("b_ID2");
    assertThat(p.get(0).location().line()).isEqualTo(5);
    assertThat(p.get(0).toString())
        .startsWith("bad.json:5: b_ID2: parents names unknown task 'ghost'");
  }

  @Test
  void wfformatWrongTypesAndMissingTasks() {
    String json =
        """
        {"schemaVersion": "1.4", "workflow": {"tasks": [
          {"name": "a", "runtimeInSeconds": "slow", "parents": "b"},
          {"runtime": 1}
        ]}}
        """;
    List<Problem> p = problems(new WfformatImporter(), "bad.json", json);
    assertThat(p)
        .extracting(Problem::message)
        .anyMatch(m -> m.contains("runtimeInSeconds"))
        .anyMatch(m -> m.contains("'parents' must be a list"))
        .anyMatch(m -> m.contains("needs a 'name'"));
    assertThat(p).allMatch(x -> x.location().line() >= 2);
    assertThat(
            problems(
                new WfformatImporter(), "e.json", "{\"schemaVersion\": \"1.5\", \"workflow\": {}}"))
        .extracting(Problem::message)
        .allMatch(m -> m.contains("no tasks"));
  }

  @Test
  void malformedJsonIsADefinitionErrorWithALine() {
    List<Problem> p = problems(new WfformatImporter(), "x.json", "{\"a\": 1,\n \"b\": }");
    assertThat(p.get(0).location().line()).isEqualTo(2);
  }

  @Test
  void bothImportersAreRegisteredAsServices() {
    List<String> formats =
        ServiceLoader.load(WorkflowImporter.class).stream().map(s -> s.get().format()).toList();
    assertThat(formats).contains("faasflow", "wfformat");
  }

  @Test
  void importersOnlyAcceptTheirOwnFormat() {
    SourceDocument nativeDoc =
        SourceDocument.parse("n.yaml", "sluice: 1\nfunctions:\n- name: a\n  source: a\n");
    assertThat(new FaasflowImporter().accepts(nativeDoc)).isFalse();
    assertThat(new WfformatImporter().accepts(nativeDoc)).isFalse();
  }
}
