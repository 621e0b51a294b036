package io.jcilium.agent.datapath;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running {@link DatapathAgentProcess}: commands go to its stdin, its stdout lines are
 * collected on a thread.
 *
 * @param process the process
 * @param lines its stdout, line by line
 * @param in its stdin
 */
record AgentProcess(Process process, BlockingQueue<String> lines, PrintWriter in) {

	AgentProcess(Process process) {
		this(process, new LinkedBlockingQueue<>(),
				new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8));
		Thread pump = new Thread(() -> {
			try (BufferedReader out = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = out.readLine(); line != null; line = out.readLine()) {
					this.lines.add(line);
				}
			}
			catch (IOException ignored) {
				// the process went away
			}
		}, "agent-process-out");
		pump.setDaemon(true);
		pump.start();
	}

	String awaitLine(String expected) throws InterruptedException {
		List<String> seen = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
			if (line != null && line.equals(expected)) {
				return line;
			}
			if (line != null) {
				seen.add(line);
			}
			if (line == null && !this.process.isAlive() && this.lines.isEmpty()) {
				break;
			}
		}
		throw new AssertionError("agent process never printed '" + expected + "'; it printed " + seen);
	}

	void command(String command) throws InterruptedException {
		this.in.println(command);
		awaitLine("ok");
	}

	List<String> query(String command) throws InterruptedException {
		this.in.println(command);
		List<String> answer = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			String line = this.lines.poll(100, TimeUnit.MILLISECONDS);
			if ("end".equals(line)) {
				return answer;
			}
			if (line != null) {
				answer.add(line);
			}
		}
		throw new AssertionError("no answer to '" + command + "'; got " + answer);
	}

}
