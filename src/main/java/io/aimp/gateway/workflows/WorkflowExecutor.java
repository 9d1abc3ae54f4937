package io.aimp.gateway.workflows;

import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import io.aimp.gateway.runs.RunService;
import io.aimp.gateway.vectors.VectorService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code workflow} kind: runs the blocks of the model's definition (parsed once, when the
 * catalog loaded) as a DAG, independent blocks in parallel on virtual threads. See {@link WorkflowRun}.
 */
@Component
class WorkflowExecutor implements RunExecutor {

    private final ObjectProvider<RunService> runs;
    private final ObjectProvider<VectorService> vectors;
    private final WorkflowProperties properties;
    private final ObjectMapper json;
    private final SafeHttp http;

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
        return WorkflowDefinition.KIND;
    }

    @Override
    public ExecutionResult execute(Execution run) {
        WorkflowDefinition def = run.model().settings(WorkflowDefinition.class);
        return new WorkflowRun(run, def, runs.getObject(), vectors.getObject(), http, properties, json).execute();
    }
}
