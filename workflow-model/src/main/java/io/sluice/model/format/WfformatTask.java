package io.sluice.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.model.Hints;
import java.util.List;

/**
 * One task of a WfCommons trace, as read from either schema version.
 *
 * @param id the node id (the task id, '/' replaced)
 * @param function the function it runs (the task category, else its name without the ID suffix)
 * @param parents references to parent tasks, as written
 * @param children references to child tasks, as written
 * @param inputs ids of the files it reads
 * @param outputs ids of the files it writes
 * @param hints runtime, memory and cores (output bytes are added from the file sizes)
 * @param json the task object, to locate problems
 */
record WfformatTask(
    String id,
    String function,
    List<String> parents,
    List<String> children,
    List<String> inputs,
    List<String> outputs,
    Hints hints,
    JsonNode json) {}
