package io.aimp.gateway.workflows;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import io.aimp.gateway.runs.RunService;
import io.aimp.gateway.vectors.VectorService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code workflow} kind: runs the blocks of the model's definition (checked when the catalog
 * loaded) as a DAG, independent blocks in parallel on virtual threads. See {@link WorkflowRun}.
 */
@Component
class WorkflowExecutor implements RunExecutor {

    private final ObjectProvider<RunService> runs;
    private final ObjectProvider<VectorService> vectors;
    private final WorkflowProperties properties;
    private final ObjectMapper json;
    private final SafeHttp http;
    private final Map<String, WorkflowDefinition> definitions = new ConcurrentHashMap<>();

    // the run service lists every executor, this one included: it is looked up when a run needs it
    WorkflowExecutor(ObjectProvider<RunService> runs, ObjectProvider<VectorService> vectors, WorkflowProperties properties,
                     ObjectMapper json) {
        this.runs = runs;
        this.vectors = vectors;
        this.properties = properties;
        this.json = json;
        this.http = new SafeHttp(properties.http());
    }

    @Override
    public Kind kind() {
        return Kind.WORKFLOW;
    }

    @Override
    public ExecutionResult execute(Execution run) {
        WorkflowDefinition def = definitions.computeIfAbsent(run.model().id() + "@" + run.model().source(),
                k -> definition(run.model()));
        return new WorkflowRun(run, def, runs.getObject(), vectors.getObject(), http, properties, json).execute();
    }

    private WorkflowDefinition definition(PublishedModel model) {
        List<String> problems = new ArrayList<>();
        WorkflowDefinition def = WorkflowParser.parse(model.kindConfig(), model.modes(), model.slug(), properties,
                (path, reason) -> problems.add(path + " " + reason));
        if (def == null) {
            // the catalog check refuses such files at start-up; this guards a definition loaded without it
            throw GatewayException.of(ErrorCategory.CONFIGURATION, "invalid_workflow",
                    "the workflow definition of " + model.slug() + " is invalid: " + String.join("; ", problems)).build();
        }
        return def;
    }
}
