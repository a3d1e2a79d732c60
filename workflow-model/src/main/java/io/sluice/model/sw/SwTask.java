package io.sluice.model.sw;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One task of a task list: its name, its definition, its JSON pointer in the document (the DSL's
 * {@code $task.reference} and the {@code instance} of its errors, e.g. {@code /do/0/getPet}) and
 * the list entry {@code {name: def}} that holds it (whose key's line is the task's line).
 */
record SwTask(String name, JsonNode def, String pointer, JsonNode entry) {}
