package io.jcilium.identity.redis;

import java.util.Map;

import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.DrillReport;
import io.jcilium.testsupport.RedisSentinels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sentinel failover drill on real processes: identity-service allocates without a
 * pause while its Redis primary is killed with SIGKILL; the sentinels promote a replica,
 * allocation continues on it, no number is ever handed to two label sets, and every
 * allocation answered before the kill is still in the promoted primary (each waited for
 * one replica's acknowledgement, {@code replicas-to-ack=1}).
 */
class SentinelFailoverIT {

	@RegisterExtension
	static final RedisSentinels sentinels = new RedisSentinels();

	@Test
	void allocationContinuesAfterThePrimaryFailsOverWithNoDuplicateNumber() throws Exception {
		try (RunningIdentityService service = RunningIdentityService.start(sentinels.primaryPort(),
				"spring.data.redis.sentinel.master=" + RedisSentinels.MASTER,
				"spring.data.redis.sentinel.nodes=" + sentinels.sentinelNodes(),
				"jcilium.identity.redis.replicas-to-ack=1");
				AllocationLoad load = new AllocationLoad(service, "failover")) {
			load.allocateUntil(50);
			load.start();
			long killed = System.nanoTime();
			int promoted = sentinels.killPrimaryAndAwaitFailover();
			int answeredAtFailover = load.answered();
			boolean continued = load.awaitMore(50);
			load.close();
			Map<String, Long> answers = load.answers();
			long leaked = Long.parseLong(sentinels.cli(promoted, "HLEN", "{jcilium:identity}:by-id")) - answers.size();
			long lost = load.lostOf(answers);
			DrillReport.record("redis-primary-failover", load.refused(), (load.duplicate() != null) ? 1 : 0, lost,
					load.longestPauseMillisFrom(killed), leaked);

			assertThat(continued).as("50 allocations answered after the failover (%d before it)", answeredAtFailover)
				.isTrue();
			assertThat(load.duplicate()).as("a number handed to two label sets").isNull();
			assertThat(lost).as("acknowledged allocations lost with the old primary").isZero();
		}
	}

}
