package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Hints;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads WfFormat 1.5 (and later): tasks in {@code workflow.specification.tasks} referring to each
 * other and to files by id, file sizes in {@code workflow.specification.files}, runtimes and
 * resources in {@code workflow.execution.tasks}.
 */
final class Wfformat15Reader {
  private final WfformatFields fields;

  Wfformat15Reader(WfformatFields fields) {
    this.fields = fields;
  }

  WfformatTrace read(JsonNode workflow) {
    WfformatTrace trace = new WfformatTrace();
    JsonNode spec = workflow.get("specification");
    JsonNode tasks = spec.get("tasks");
    if (tasks == null || !tasks.isArray()) {
      fields.add(
          fields.problem(spec, "tasks", null, "workflow.specification needs a 'tasks' list"));
      return trace;
    }
    for (JsonNode file : spec.path("files")) {
      String id = WfformatFields.text(file, "id", "name");
      if (id != null) {
        trace.fileSizes.put(id, Math.round(fields.number(file, null, "sizeInBytes", "size")));
      }
    }
    Map<String, JsonNode> execution = new HashMap<>();
    for (JsonNode t : workflow.path("execution").path("tasks")) {
      String id = WfformatFields.text(t, "id");
      if (id != null) {
        execution.putIfAbsent(id, t);
      }
    }
    Map<String, String> byName = new HashMap<>();
    for (JsonNode t : tasks) {
      if (!t.isObject()) {
        fields.add(fields.problem(tasks, null, null, "a task must be an object, got " + abbr(t)));
        continue;
      }
      String name = WfformatFields.text(t, "name");
      String taskId = WfformatFields.text(t, "id");
      if (taskId == null) {
        taskId = name;
      }
      if (taskId == null) {
        fields.add(fields.problem(t, "id", null, "a task needs an 'id' (or a 'name')"));
        continue;
      }
      String id = WfformatTrace.nodeId(taskId);
      String category = WfformatFields.text(t, "category");
      JsonNode exec = execution.get(taskId);
      Hints hints = fields.hints(exec != null ? exec : t, id);
      trace.tasks.add(
          new WfformatTask(
              id,
              category != null ? category : WfformatTrace.functionOf(name != null ? name : taskId),
              fields.strings(t, "parents", id),
              fields.strings(t, "children", id),
              fields.strings(t, "inputFiles", id),
              fields.strings(t, "outputFiles", id),
              hints,
              t));
      trace.references.putIfAbsent(taskId, id);
      if (name != null) {
        byName.putIfAbsent(name, id);
      }
    }
    byName.forEach(trace.references::putIfAbsent);
    return trace;
  }

  static String abbr(JsonNode v) {
    String s = v.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
