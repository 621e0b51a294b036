package io.jcilium.agent.datapath.endpoint;

import io.jcilium.agent.datapath.DatapathProperties;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.ipcache.IpcacheUpdates;
import io.jcilium.agent.endpoint.EndpointDatapath;
import io.jcilium.agent.endpoint.NoEndpointDatapath;
import io.jcilium.agent.policy.AgentPolicy;
import io.jcilium.agent.policy.PolicyConfiguration;
import io.jcilium.agent.jobs.AgentJobsConfiguration;
import io.jcilium.agent.policy.PolicyUpdates;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BPF endpoint datapath replaces the fail-closed stand-in (no endpoint ready) only
 * when the datapath is enabled; the policy cell is there either way. Creating the beans
 * touches no kernel state (maps open on first use).
 */
class EndpointDatapathConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(
			PropertiesAndStandIn.class, AgentJobsConfiguration.class, PolicyConfiguration.class,
			EndpointDatapathConfiguration.class);

	@Test
	void withTheDatapathDisabledTheStandInStaysAndPolicyStillComputes() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(EndpointDatapath.class)).isInstanceOf(NoEndpointDatapath.class);
			assertThat(context).doesNotHaveBean(IpcacheUpdates.class);
			assertThat(context.getBean(PolicyUpdates.class)).isInstanceOf(AgentPolicy.class);
		});
	}

	@Test
	void withTheDatapathEnabledEndpointsGetBpfPrograms() {
		// the datapath configuration provides libbpf; here only this cell is wired
		KernelRequirements.requireLibbpf();
		this.runner.withBean(Libbpf.class, TestLibbpf::get)
			.withPropertyValues("jcilium.datapath.enabled=true", "jcilium.datapath.prefix=jcilium-wiring-test")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(EndpointDatapath.class)).isInstanceOf(BpfEndpointDatapath.class);
				assertThat(context.getBean(IpcacheUpdates.class)).isInstanceOf(BpfIpcache.class);
				assertThat(context.getBean(BpfEndpointDatapath.class).layout().prefix())
					.isEqualTo("jcilium-wiring-test");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DatapathProperties.class)
	static class PropertiesAndStandIn {

		@Bean
		EndpointDatapath noEndpointDatapath() {
			return new NoEndpointDatapath();
		}

	}

}
