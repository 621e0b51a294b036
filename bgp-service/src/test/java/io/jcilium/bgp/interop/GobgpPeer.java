package io.jcilium.bgp.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jcilium.bgp.wire.Prefix;

/**
 * gobgpd in the lab; its gRPC API listens on the namespace's own loopback, where the
 * {@code gobgp} CLI (run in the namespace) asks for the global RIB.
 */
final class GobgpPeer implements PeerDaemon {

	private static final String API = "127.0.0.1:50051";

	private final NetnsLab lab;

	private final long peerAsn;

	private final long ourAsn;

	private Process process;

	GobgpPeer(NetnsLab lab, long peerAsn, long ourAsn) {
		this.lab = lab;
		this.peerAsn = peerAsn;
		this.ourAsn = ourAsn;
	}

	@Override
	public List<String> executables() {
		return List.of("gobgpd", "gobgp");
	}

	@Override
	public void start() throws IOException {
		Path config = this.lab.directory.resolve("gobgpd.toml");
		Files.writeString(config, """
				[global.config]
				  as = %d
				  router-id = "%s"
				  local-address-list = ["%s"]
				[[neighbors]]
				  [neighbors.config]
				    neighbor-address = "%s"
				    peer-as = %d
				  [neighbors.graceful-restart.config]
				    enabled = true
				  [[neighbors.afi-safis]]
				    [neighbors.afi-safis.config]
				      afi-safi-name = "ipv4-unicast"
				  [[neighbors.afi-safis]]
				    [neighbors.afi-safis.config]
				      afi-safi-name = "ipv6-unicast"
				""".formatted(this.peerAsn, this.lab.peerIpv4.getHostAddress(), this.lab.peerIpv4.getHostAddress(),
				this.lab.hostIpv4.getHostAddress(), this.ourAsn));
		this.process = this.lab.start(this.lab.directory.resolve("gobgpd.log"), "gobgpd", "-f", config.toString(), "-t",
				"toml", "--api-hosts", API, "--pprof-disable", "-p");
	}

	@Override
	public void stop() throws InterruptedException {
		NetnsLab.end(this.process);
	}

	@Override
	public Set<Prefix> learned() throws IOException, InterruptedException {
		Set<Prefix> learned = new TreeSet<>();
		for (String family : new String[] { "ipv4", "ipv6" }) {
			String rib = gobgp("global", "rib", "-a", family);
			if (!rib.contains("Network not in table")) {
				learned.addAll(Cli.prefixes(rib));
			}
		}
		return learned;
	}

	@Override
	public boolean established() throws IOException, InterruptedException {
		return gobgp("neighbor").contains("Establ");
	}

	/**
	 * @return how many KEEPALIVEs gobgpd has received from us, from its message
	 * statistics
	 */
	long keepalivesReceived() throws IOException, InterruptedException {
		String neighbour = gobgp("neighbor", this.lab.hostIpv4.getHostAddress());
		Matcher matcher = Pattern.compile("Keepalives:\\s+(\\d+)\\s+(\\d+)").matcher(neighbour);
		if (!matcher.find()) {
			throw new IOException("no keepalive count in gobgp's neighbour statistics: " + neighbour);
		}
		return Long.parseLong(matcher.group(2));
	}

	private String gobgp(String... command) throws IOException, InterruptedException {
		String[] all = new String[command.length + 5];
		all[0] = "gobgp";
		all[1] = "-u";
		all[2] = "127.0.0.1";
		all[3] = "-p";
		all[4] = "50051";
		System.arraycopy(command, 0, all, 5, command.length);
		return this.lab.runInside(all);
	}

}
