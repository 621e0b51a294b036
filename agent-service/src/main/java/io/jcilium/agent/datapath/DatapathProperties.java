package io.jcilium.agent.datapath;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the eBPF datapath cell.
 *
 * @param enabled load and pin the datapath's maps and read its events; off by default so
 * the agent starts where BPF is not allowed (tests, development), on in the Helm chart
 * and scripts/node.sh. Off, nothing enforces policy: no endpoint ever becomes ready and
 * CNI ADD fails saying so
 * @param bpffsRoot the bpffs mount
 * @param prefix the agent's directory under bpffs; maps pinned there survive restarts
 * @param conntrackGcIntervalSeconds how often expired conntrack entries are deleted
 */
@ConfigurationProperties("jcilium.datapath")
public record DatapathProperties(@DefaultValue("false") boolean enabled, @DefaultValue("/sys/fs/bpf") Path bpffsRoot,
		@DefaultValue("jcilium") String prefix, @DefaultValue("60") int conntrackGcIntervalSeconds) {

	public DatapathProperties {
		if (conntrackGcIntervalSeconds <= 0) {
			throw new IllegalArgumentException("jcilium.datapath.conntrack-gc-interval-seconds must be positive, got "
					+ conntrackGcIntervalSeconds);
		}
	}

}
