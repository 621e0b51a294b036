package io.jcilium.agent.l2announce;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings bind with upstream's defaults, a timing combination client-go would refuse
 * stops the start with a message naming both settings, and the feature stays off unless
 * enabled with the datapath on.
 */
class L2AnnouncementPropertiesTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Settings.class);

	@Test
	void upstreamDefaults() {
		this.runner.run((context) -> {
			L2AnnouncementProperties properties = context.getBean(L2AnnouncementProperties.class);
			assertThat(properties.enabled()).isFalse();
			assertThat(properties.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
			assertThat(properties.renewDeadline()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.leaseNamespace()).isEqualTo("kube-system");
			assertThat(properties.releaseOnStop()).isTrue();
			assertThat(properties.xdpMode()).isEqualTo(XdpMode.GENERIC);
		});
		this.runner.withPropertyValues("jcilium.agent.l2-announcements.xdp-mode=native")
			.run((context) -> assertThat(context.getBean(L2AnnouncementProperties.class).xdpMode())
				.isEqualTo(XdpMode.NATIVE));
	}

	@Test
	void timingsClientGoWouldRefuseStopTheStartNamingTheSettings() {
		this.runner.withPropertyValues("jcilium.agent.l2-announcements.renew-deadline=20s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("renew-deadline (PT20S) must be shorter than lease-duration (PT15S)");
		});
		this.runner.withPropertyValues("jcilium.agent.l2-announcements.retry-period=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("retry-period (PT0S) must be positive");
		});
	}

	@Test
	void offUnlessEnabledWithTheDatapath() {
		ApplicationContextRunner wiring = new ApplicationContextRunner()
			.withUserConfiguration(L2AnnouncementConfiguration.class);
		wiring.run((context) -> assertThat(context).doesNotHaveBean(L2AnnouncementLifecycle.class));
		wiring.withPropertyValues("jcilium.agent.l2-announcements.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(L2AnnouncementLifecycle.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(L2AnnouncementProperties.class)
	static class Settings {

	}

}
