package io.jcilium.bgp.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.jcilium.bgp.wire.Prefix;

/**
 * FRR's bgpd in the lab, alone (no zebra, no kernel routes), with its vty socket in the
 * lab's directory, where {@code vtysh} asks it for the BGP tables.
 */
final class FrrPeer implements PeerDaemon {

	static final String BGPD = "/usr/lib/frr/bgpd";

	private final NetnsLab lab;

	private final long peerAsn;

	private final long ourAsn;

	private final Path vty;

	private Process process;

	FrrPeer(NetnsLab lab, long peerAsn, long ourAsn) {
		this.lab = lab;
		this.peerAsn = peerAsn;
		this.ourAsn = ourAsn;
		this.vty = lab.directory.resolve("frr");
	}

	@Override
	public List<String> executables() {
		return List.of(BGPD, "vtysh");
	}

	@Override
	public void start() throws IOException {
		Files.createDirectories(this.vty);
		Path config = this.lab.directory.resolve("bgpd.conf");
		String us = this.lab.hostIpv4.getHostAddress();
		// eBGP needs a policy in FRR 8 unless told otherwise (RFC 8212); these tests
		// accept all.
		Files.writeString(config, """
				router bgp %d
				 bgp router-id %s
				 no bgp ebgp-requires-policy
				 bgp graceful-restart
				 neighbor %s remote-as %d
				 address-family ipv4 unicast
				  neighbor %s activate
				 exit-address-family
				 address-family ipv6 unicast
				  neighbor %s activate
				 exit-address-family
				""".formatted(this.peerAsn, this.lab.peerIpv4.getHostAddress(), us, this.ourAsn, us, us));
		this.process = this.lab.start(this.lab.directory.resolve("bgpd.log"), FrrPeer.BGPD, "-f", config.toString(),
				"-i", this.lab.directory.resolve("bgpd.pid").toString(), "--vty_socket", this.vty.toString(), "-Z",
				"-n", "-S", "-P", "0", "-l", this.lab.peerIpv4.getHostAddress());
	}

	@Override
	public void stop() throws InterruptedException {
		NetnsLab.end(this.process);
	}

	@Override
	public Set<Prefix> learned() throws IOException, InterruptedException {
		Set<Prefix> learned = new TreeSet<>();
		learned.addAll(Cli.prefixes(vtysh("show bgp ipv4 unicast")));
		learned.addAll(Cli.prefixes(vtysh("show bgp ipv6 unicast")));
		return learned;
	}

	@Override
	public boolean established() throws IOException, InterruptedException {
		return vtysh("show bgp neighbors " + this.lab.hostIpv4.getHostAddress()).contains("BGP state = Established");
	}

	private String vtysh(String command) throws IOException, InterruptedException {
		return this.lab.run("vtysh", "--vty_socket", this.vty.toString(), "-d", "bgpd", "-c", command);
	}

}
