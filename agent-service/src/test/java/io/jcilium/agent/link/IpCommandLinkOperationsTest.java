package io.jcilium.agent.link;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Listing the node's pod veths reads the links the kernel shows in sysfs: only names the
 * agent gives, whoever created the link.
 */
class IpCommandLinkOperationsTest {

	@TempDir
	Path sys;

	@Test
	void podHostLinksAreTheLinksNamedAsTheAgentNamesPodVeths() throws Exception {
		Path net = Files.createDirectories(this.sys.resolve("class/net"));
		for (String name : new String[] { "lxc0123456789ab", "lxcfedcba987654", "eth0", "lo", "lxc_health",
				"lxc0123456789abc", "cilium_host" }) {
			Files.createDirectories(net.resolve(name));
		}
		IpCommandLinkOperations links = new IpCommandLinkOperations(net, this.sys.resolve("proc"),
				Duration.ofSeconds(1));

		assertThat(links.podHostLinks()).containsExactlyInAnyOrder("lxc0123456789ab", "lxcfedcba987654");
	}

	@Test
	void linksThatCannotBeListedAreAnError() {
		IpCommandLinkOperations links = new IpCommandLinkOperations(this.sys.resolve("missing"),
				this.sys.resolve("proc"), Duration.ofSeconds(1));

		assertThatThrownBy(links::podHostLinks).isInstanceOf(LinkException.class)
			.hasMessageContaining("cannot list the node's links");
	}

}
