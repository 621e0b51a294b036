package io.jcilium.bgp.config;

import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.session.BgpSpeaker;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the speaker. Lab mode ({@code bgp.lab-file}) is the one source of configuration
 * so far; the CRD-driven mode of issue 18 point 3 is still to come.
 */
@Configuration(proxyBeanMethods = false)
public class BgpConfiguration {

	@Bean
	@ConditionalOnProperty("bgp.lab-file")
	SpeakerPlan labPlan(BgpProperties properties) {
		return LabPlanner.plan(LabFile.read(properties.labFile()), properties.nodeName());
	}

	@Bean
	@ConditionalOnProperty("bgp.lab-file")
	BgpSpeaker bgpSpeaker(SpeakerPlan plan, BgpProperties properties) {
		return new BgpSpeaker(plan.speaker(), properties.eventLoopThreads());
	}

	@Bean
	@ConditionalOnProperty("bgp.lab-file")
	SpeakerLifecycle speakerLifecycle(BgpSpeaker speaker, SpeakerPlan plan) {
		return new SpeakerLifecycle(speaker, plan);
	}

}
