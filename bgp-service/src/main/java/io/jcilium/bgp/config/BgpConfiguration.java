package io.jcilium.bgp.config;

import io.jcilium.bgp.reconcile.SpeakerPlan;
import io.jcilium.bgp.session.BgpSpeaker;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the speaker in lab mode ({@code bgp.lab-file}); the API server mode is wired by
 * {@code nodeconfig.NodeConfigConfiguration}.
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
