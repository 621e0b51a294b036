package io.jcilium.agent.datapath;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.jcilium.agent.datapath.loader.BpffsLayout;
import io.jcilium.jobs.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The datapath's health against the kernel: DOWN before its maps are open, UP while they
 * are pinned on bpffs, DOWN with the reason once the pins are gone.
 */
class DatapathHealthIT {

	private final Jobs jobs = new Jobs("test-datapath", 1);

	private DatapathLifecycle datapath;

	@BeforeEach
	void setUp() {
		KernelRequirements.requireBpf();
		String prefix = "jcilium-it-health-"
				+ Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
		this.datapath = new DatapathLifecycle(TestLibbpf.get(),
				new DatapathProperties(true, BpffsLayout.DEFAULT_ROOT, prefix, 60), List.of(), this.jobs);
	}

	@AfterEach
	void tearDown() {
		if (this.datapath != null) {
			this.datapath.stop();
			this.datapath.layout().removeAll();
		}
		this.jobs.close();
	}

	@Test
	void upWhileTheMapsArePinnedAndDownWithTheReasonOtherwise() {
		DatapathHealthIndicator indicator = new DatapathHealthIndicator(this.datapath);
		Health before = indicator.health();
		assertThat(before.getStatus()).isEqualTo(Status.DOWN);
		assertThat((String) before.getDetails().get("reason")).startsWith("the datapath maps are not open");

		this.datapath.start();
		Health running = indicator.health();
		assertThat(running.getStatus()).isEqualTo(Status.UP);
		assertThat(running.getDetails()).containsEntry("pins", this.datapath.layout().directory().toString());

		this.datapath.layout().removeAll();
		Health unpinned = indicator.health();
		assertThat(unpinned.getStatus()).isEqualTo(Status.DOWN);
		assertThat((String) unpinned.getDetails().get("reason")).endsWith("is gone from bpffs");
	}

}
