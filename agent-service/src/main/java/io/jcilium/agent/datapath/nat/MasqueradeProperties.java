package io.jcilium.agent.datapath.nat;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of masquerading under {@code jcilium.agent.masquerade}.
 *
 * @param enabled SNAT pods' connections leaving the cluster to the node's address on the
 * device they leave through (upstream's {@code enable-ipv4-masquerade} with
 * {@code bpf.masquerade}); it acts on the devices {@code bpf_host.o} is attached to,
 * {@code jcilium.service.node-port-devices} (upstream's {@code devices}), so it needs at
 * least one
 * @param nonMasqueradeCidrs destinations reached with the pod's own address (upstream's
 * {@code ipMasqAgent.config.nonMasqueradeCIDRs}); empty: ip-masq-agent's defaults, the
 * private and reserved IPv4 ranges ({@link NonMasqueradeCidrs#DEFAULTS}); IPv4 only
 * @param masqLinkLocal masquerade towards 169.254.0.0/16 too (upstream's
 * {@code masqLinkLocal}); off: link-local destinations keep the pod's address
 */
@ConfigurationProperties("jcilium.agent.masquerade")
public record MasqueradeProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue List<String> nonMasqueradeCidrs, @DefaultValue("false") boolean masqLinkLocal) {

	public MasqueradeProperties {
		nonMasqueradeCidrs = List.copyOf(nonMasqueradeCidrs);
	}

}
