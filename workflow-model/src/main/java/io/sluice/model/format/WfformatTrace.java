package io.sluice.model.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a reader of either schema version gathers: the tasks, file sizes by file id, and how a
 * parent/child reference (a task id or a task name, depending on the version) maps to a node id.
 */
final class WfformatTrace {
  private static final Pattern ID_SUFFIX = Pattern.compile("^(.+?)(?:_ID\\d+|_\\d+)$");

  final List<WfformatTask> tasks = new ArrayList<>();
  final Map<String, Long> fileSizes = new HashMap<>();
  final Map<String, String> references = new HashMap<>();

  /** A node id from a task id: node ids may not contain '/'. */
  static String nodeId(String taskId) {
    return taskId.replace('/', '_');
  }

  /** The function of a task without a category: its name without a trailing _ID0001 / _12. */
  static String functionOf(String name) {
    Matcher m = ID_SUFFIX.matcher(name);
    return m.matches() ? m.group(1) : name;
  }
}
