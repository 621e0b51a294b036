package io.jcilium.bgp.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.jcilium.bgp.wire.Prefix;

/**
 * BIRD 2 in the lab, with its control socket in the lab's directory; {@code birdc} shows
 * what it learned.
 */
final class BirdPeer implements PeerDaemon {

	/**
	 * As our AS: BIRD accepts any AS other than its own ({@code neighbor ... external}),
	 * as a 2-octet BIRD must for a 4-octet neighbour it cannot name.
	 */
	static final long ANY_EXTERNAL_AS = -1;

	private final NetnsLab lab;

	private final long peerAsn;

	private final long ourAsn;

	private final Path socket;

	private final String password;

	private final String extra;

	private Process process;

	BirdPeer(NetnsLab lab, long peerAsn, long ourAsn) {
		this(lab, peerAsn, ourAsn, null);
	}

	/** With a TCP MD5 password (RFC 2385) on the session, or {@code null} for none. */
	BirdPeer(NetnsLab lab, long peerAsn, long ourAsn, String password) {
		this(lab, peerAsn, ourAsn, password, "");
	}

	/**
	 * With a TCP MD5 password or {@code null}, and more lines for the BGP protocol block
	 * (e.g. {@code enable as4 off;}).
	 */
	BirdPeer(NetnsLab lab, long peerAsn, long ourAsn, String password, String extra) {
		this.password = password;
		this.extra = extra;
		this.lab = lab;
		this.peerAsn = peerAsn;
		this.ourAsn = ourAsn;
		this.socket = lab.directory.resolve("bird.ctl");
	}

	@Override
	public List<String> executables() {
		return List.of("bird", "birdc");
	}

	@Override
	public void start() throws IOException {
		Path config = this.lab.directory.resolve("bird.conf");
		Files.writeString(config, """
				router id %s;
				protocol device {}
				protocol bgp jcilium {
				  local %s as %d;
				  neighbor %s %s;
				  graceful restart on;
				  %s
				  %s
				  ipv4 { import all; export none; };
				  ipv6 { import all; export none; };
				}
				""".formatted(this.lab.peerIpv4.getHostAddress(), this.lab.peerIpv4.getHostAddress(), this.peerAsn,
				this.lab.hostIpv4.getHostAddress(), (this.ourAsn == ANY_EXTERNAL_AS) ? "external" : "as " + this.ourAsn,
				(this.password != null) ? "password \"" + this.password + "\";" : "", this.extra));
		this.process = this.lab.start(this.lab.directory.resolve("bird.log"), "bird", "-f", "-c", config.toString(),
				"-s", this.socket.toString(), "-P", this.lab.directory.resolve("bird.pid").toString());
	}

	@Override
	public void stop() throws InterruptedException {
		NetnsLab.end(this.process);
	}

	@Override
	public Set<Prefix> learned() throws IOException, InterruptedException {
		return Cli.prefixes(birdc("show", "route", "protocol", "jcilium", "table", "all"));
	}

	@Override
	public boolean established() throws IOException, InterruptedException {
		return birdc("show", "protocols", "jcilium").contains("Established");
	}

	String birdc(String... command) throws IOException, InterruptedException {
		String[] all = new String[command.length + 3];
		all[0] = "birdc";
		all[1] = "-s";
		all[2] = this.socket.toString();
		System.arraycopy(command, 0, all, 3, command.length);
		return this.lab.run(all);
	}

}
