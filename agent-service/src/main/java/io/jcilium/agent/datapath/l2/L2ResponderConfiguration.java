package io.jcilium.agent.datapath.l2;

import io.jcilium.agent.datapath.DatapathLifecycle;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.l2announce.L2AnnouncementConfiguration;
import io.jcilium.agent.l2announce.L2AnnouncementProperties;
import io.jcilium.agent.l2announce.L2Responder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The L2 announcements' responder in the kernel (XDP program and its maps, pinned in the
 * datapath's directory), under the same condition as the announcements themselves.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(L2AnnouncementConfiguration.ENABLED)
public class L2ResponderConfiguration {

	/**
	 * The responder; the announcements' lifecycle closes it when it stops, so the context
	 * does not close it a second time.
	 */
	@Bean(destroyMethod = "")
	L2Responder l2Responder(Libbpf libbpf, DatapathLifecycle datapath, L2AnnouncementProperties properties) {
		return new BpfL2Responder(libbpf, () -> datapath.layout().directory(), null, properties.xdpMode());
	}

}
