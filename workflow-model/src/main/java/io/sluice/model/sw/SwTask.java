package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One task of a task list: its name, its definition and its JSON pointer in the document (the
 * DSL's {@code $task.reference} and the {@code instance} of its errors, e.g. {@code
 * /do/0/getPet}).
 */
record SwTask(String name, JsonNode def, String pointer) {}
