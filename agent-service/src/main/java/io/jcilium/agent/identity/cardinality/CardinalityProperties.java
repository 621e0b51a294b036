package io.jcilium.agent.identity.cardinality;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The identity-cardinality guard, under {@code jcilium.agent.identity.cardinality}.
 *
 * @param threshold distinct values of one label key among one namespace's identities from
 * which the label is reported as making identities multiply
 * @param interval time between two checks of the identities
 * @param events whether each finding is also recorded as a Kubernetes Warning Event on
 * its namespace
 */
@ConfigurationProperties("jcilium.agent.identity.cardinality")
public record CardinalityProperties(@DefaultValue("64") int threshold, @DefaultValue("30s") Duration interval,
		@DefaultValue("true") boolean events) {
}
