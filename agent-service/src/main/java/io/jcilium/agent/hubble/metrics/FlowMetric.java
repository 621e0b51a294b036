package io.jcilium.agent.hubble.metrics;

import io.jcilium.api.hubble.flow.Flow;

/**
 * One of upstream's flow metrics: looks at each flow the observer stores and counts what
 * it is about.
 */
interface FlowMetric {

	void process(Flow flow);

}
