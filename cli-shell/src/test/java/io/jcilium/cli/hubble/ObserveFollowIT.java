package io.jcilium.cli.hubble;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.jcilium.api.hubble.flow.Flow;
import io.jcilium.api.hubble.observer.GetFlowsResponse;
import io.jcilium.api.hubble.observer.ServerStatusResponse;
import io.jcilium.cli.Terminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hubble observe --follow} stopped with Ctrl-C, as a person stops it: the packaged
 * console in a real terminal ({@link Terminal}) follows a real gRPC Observer server that
 * keeps the stream open, Ctrl-C is typed, and the console ends at once with every flow it
 * received printed whole and no stack trace, with the shell's status for a program
 * stopped by SIGINT (128 + 2).
 */
class ObserveFollowIT {

	private static final Duration START = Duration.ofMinutes(3);

	private static final Duration STEP = Duration.ofMinutes(1);

	private static final int STOPPED_BY_SIGINT = 130;

	@TempDir
	Path home;

	private TestObserver observer;

	private Terminal terminal;

	@AfterEach
	void stop() throws Exception {
		if (this.terminal != null) {
			this.terminal.close();
		}
		if (this.observer != null) {
			this.observer.close();
		}
	}

	@Test
	void ctrlCStopsAFollowingStreamCleanly() throws Exception {
		this.observer = new TestObserver(List.of(response(TestFlows.syn()), response(TestFlows.policyDrop())),
				List.of(), ServerStatusResponse.getDefaultInstance());
		this.observer.following = true;
		this.terminal = Terminal.console(this.home, "hubble", "observe", "--server", this.observer.address(),
				"--follow");

		this.terminal.await("the flows received", START, (screen) -> screen.contains("Policy denied DROPPED (UDP)"));
		this.terminal.send("C-c");

		assertThat(this.terminal.awaitExit(STEP)).isEqualTo(STOPPED_BY_SIGINT);
		String screen = this.terminal.screen();
		assertThat(screen.lines().filter((line) -> line.startsWith("Dec  5 07:23:41"))).hasSize(2);
		assertThat(screen).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("CANCELLED");
	}

	private static GetFlowsResponse response(Flow flow) {
		return GetFlowsResponse.newBuilder().setNodeName("kind-worker").setTime(flow.getTime()).setFlow(flow).build();
	}

}
