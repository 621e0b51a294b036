package io.jcilium.bgp.status;

import java.time.Duration;

import io.jcilium.bgp.reconcile.SpeakerReconciler;
import io.jcilium.bgp.session.BgpSpeaker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the BGP metrics over whichever speaker runs: the lab file's, or the one the API
 * server's config started.
 */
@Configuration(proxyBeanMethods = false)
class BgpMetricsConfiguration {

	@Bean(destroyMethod = "close")
	BgpMetrics bgpMetrics(ObjectProvider<BgpSpeaker> speaker, ObjectProvider<SpeakerReconciler> reconciler) {
		return new BgpMetrics(new RunningSpeaker(speaker, reconciler), Duration.ofSeconds(5));
	}

}
