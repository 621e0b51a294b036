package io.jcilium.agent.endpoint;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.jcilium.agent.link.InMemoryLinkOperations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointMetricsTest {

	@TempDir
	Path stateDir;

	@Test
	void countsEndpointsPerState() {
		EndpointManager manager = new EndpointManager(new InMemoryLinkOperations(),
				new PersistentPodIps("10.30.0.0/24", this.stateDir.resolve("ips")), new InitIdentityResolver(),
				new RecordingEndpointDatapath());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new EndpointMetrics(manager).bindTo(registry);

		manager.add(new EndpointRequest("a", "eth0", "/run/netns/a", null, null, null));
		manager.add(new EndpointRequest("b", "eth0", "/run/netns/b", null, null, null));

		assertThat(registry.get("jcilium.endpoint.state").tag("endpoint_state", "ready").gauge().value()).isEqualTo(2);
		assertThat(registry.get("jcilium.endpoint.state").tag("endpoint_state", "waiting-for-identity").gauge().value())
			.isZero();
		manager.delete("a", "eth0");
		assertThat(registry.get("jcilium.endpoint.state").tag("endpoint_state", "ready").gauge().value()).isEqualTo(1);
		assertThat(registry.get("jcilium.endpoint.regeneration.time").timer().count()).isEqualTo(2);
		assertThat(registry.get("jcilium.endpoint.add.to.ready.time").timer().count()).isEqualTo(2);
		assertThat(registry.get("jcilium.endpoint.add.to.ready.time").timer().max(TimeUnit.NANOSECONDS))
			.isGreaterThanOrEqualTo(
					registry.get("jcilium.endpoint.regeneration.time").timer().max(TimeUnit.NANOSECONDS));
		manager.close();
	}

}
