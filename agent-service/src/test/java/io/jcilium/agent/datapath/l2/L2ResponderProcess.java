package io.jcilium.agent.datapath.l2;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Set;

import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.l2announce.ResponderEntry;
import io.jcilium.agent.l2announce.XdpMode;

/**
 * The agent's L2 responder alone in a process of its own, for
 * {@link L2ResponderSigkillIT} to kill: answers ARP for one address on one device of a
 * namespace, prints {@code answering} and waits to be killed.
 */
public final class L2ResponderProcess {

	private L2ResponderProcess() {
	}

	/**
	 * @param args bpffs directory for the maps, namespace path, device, address
	 * @throws Exception if the responder cannot start
	 */
	public static void main(String[] args) throws Exception {
		BpfL2Responder responder = new BpfL2Responder(TestLibbpf.get(), () -> Path.of(args[0]), Path.of(args[1]),
				XdpMode.GENERIC);
		responder.sync(Set.of(new ResponderEntry(args[2], InetAddress.getByName(args[3]))));
		System.out.println("answering");
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
