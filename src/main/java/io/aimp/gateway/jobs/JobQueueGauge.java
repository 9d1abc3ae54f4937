package io.aimp.gateway.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The depth of the bulk-job queue: items of every workspace's running jobs still waiting to run. */
@Component
class JobQueueGauge implements MeterBinder {

    private final JobStore store;

    JobQueueGauge(JobStore store) {
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("aimp.job.queue.depth", store, JobStore::countQueuedItems)
                .description("bulk job items waiting to run").register(registry);
    }
}
