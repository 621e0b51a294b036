package io.jcilium.agent.datapath.lb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.jcilium.agent.datapath.PodTopology;
import io.jcilium.agent.datapath.tc.NetworkNamespace;

/**
 * Backend servers in pod namespaces that say which pod answered: TCP writes the pod's
 * name and a newline, then echoes what it receives; UDP answers each datagram with the
 * name. Bound to the wildcard address, so IPv4 and IPv6 alike.
 */
final class Backends implements AutoCloseable {

	private final List<AutoCloseable> sockets = new ArrayList<>();

	void tcp(PodTopology.Pod pod, int port) {
		ServerSocket listener = NetworkNamespace.call(pod.namespacePath(), () -> {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(port), 64);
			return socket;
		});
		this.sockets.add(listener);
		daemon("tcp-" + pod.name(), () -> {
			while (!listener.isClosed()) {
				try {
					Socket accepted = listener.accept();
					daemon("conn-" + pod.name(), () -> echo(accepted, pod.name()));
				}
				catch (IOException closed) {
					return;
				}
			}
		});
	}

	void udp(PodTopology.Pod pod, int port) {
		DatagramSocket socket = NetworkNamespace.call(pod.namespacePath(), () -> new DatagramSocket(port));
		this.sockets.add(socket);
		byte[] name = pod.name().getBytes(StandardCharsets.UTF_8);
		daemon("udp-" + pod.name(), () -> {
			byte[] buffer = new byte[512];
			while (!socket.isClosed()) {
				try {
					DatagramPacket request = new DatagramPacket(buffer, buffer.length);
					socket.receive(request);
					socket.send(new DatagramPacket(name, name.length, request.getSocketAddress()));
				}
				catch (IOException closed) {
					return;
				}
			}
		});
	}

	private static void echo(Socket accepted, String name) {
		try (Socket socket = accepted) {
			OutputStream out = socket.getOutputStream();
			out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[256];
			int read;
			while ((read = in.read(buffer)) > 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException gone) {
			// the client went away
		}
	}

	private static void daemon(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws Exception {
		for (AutoCloseable socket : this.sockets) {
			socket.close();
		}
	}

}
