package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads WfFormat 1.4 and the WorkflowHub schemas before it: tasks in {@code workflow.tasks} (or
 * {@code workflow.jobs}) referring to each other by name, with their files inline ({@code link},
 * {@code name}, {@code sizeInBytes} or {@code size}), runtime ({@code runtimeInSeconds} or {@code
 * runtime}), {@code cores} and memory ({@code memoryInBytes}, or {@code memory} in KB). A task's id
 * is the one WfCommons' own 1.4-to-1.5 migration gives it, so a 1.4 trace and its 1.5 twin import
 * to the same node ids: the name when it contains the task's {@code id}, else {@code name_id}.
 */
final class Wfformat14Reader {
  private final WfformatFields fields;

  Wfformat14Reader(WfformatFields fields) {
    this.fields = fields;
  }

  WfformatTrace read(JsonNode tasks) {
    WfformatTrace trace = new WfformatTrace();
    for (JsonNode t : tasks) {
      if (!t.isObject()) {
        fields.add(
            fields.problem(
                tasks, null, null, "a task must be an object, got " + Wfformat15Reader.abbr(t)));
        continue;
      }
      String name = WfformatFields.text(t, "name");
      String oldId = WfformatFields.text(t, "id");
      String taskId = taskId(name, oldId);
      if (taskId == null) {
        fields.add(fields.problem(t, "name", null, "a task needs a 'name' (or an 'id')"));
        continue;
      }
      String id = WfformatTrace.nodeId(taskId);
      List<String> inputs = new ArrayList<>();
      List<String> outputs = new ArrayList<>();
      for (JsonNode file : t.path("files")) {
        String fileId = WfformatFields.text(file, "name", "id");
        if (fileId == null) {
          continue;
        }
        String path = WfformatFields.text(file, "path");
        fileId = path == null ? fileId : path + fileId;
        trace.fileSizes.putIfAbsent(
            fileId, Math.round(fields.number(file, id, "sizeInBytes", "size")));
        String link = String.valueOf(WfformatFields.text(file, "link"));
        (link.toLowerCase(Locale.ROOT).equals("input") ? inputs : outputs).add(fileId);
      }
      String category = WfformatFields.text(t, "category");
      trace.tasks.add(
          new WfformatTask(
              id,
              category != null ? category : WfformatTrace.functionOf(name != null ? name : taskId),
              fields.strings(t, "parents", id),
              fields.strings(t, "children", id),
              inputs,
              outputs,
              fields.hints(t, id),
              t));
      for (String ref : new String[] {name, oldId, taskId}) {
        if (ref != null) {
          trace.references.putIfAbsent(ref, id);
        }
      }
    }
    return trace;
  }

  private static String taskId(String name, String id) {
    if (name == null) {
      return id;
    }
    if (id == null) {
      return name;
    }
    return name.contains(id) ? name : name + "_" + id;
  }
}
