package io.jcilium.identity.redis;

import java.util.Map;

import io.jcilium.identity.testsupport.RunningIdentityService;
import io.jcilium.testsupport.DrillReport;
import io.jcilium.testsupport.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drills of the single Redis under identity-service while it allocates without a pause:
 * Redis killed with SIGKILL and started again on its data, and Redis wiped (FLUSHALL).
 * Each allocation answered before stays on its number, no number goes to two label sets,
 * and allocation resumes; the figures go to the drills table.
 */
class RedisDrillsIT {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@BeforeEach
	void emptyRedis() throws Exception {
		redis.start();
		redis.flushAll();
	}

	@Test
	void redisKilledAndRestartedLosesNoAcknowledgedAllocation() throws Exception {
		try (RunningIdentityService service = RunningIdentityService.start(redis.port());
				AllocationLoad load = new AllocationLoad(service, "killed")) {
			load.allocateUntil(50);
			load.start();
			long killed = System.nanoTime();
			redis.kill();
			// Down long enough for every caller to notice (the drill, not an assertion).
			Thread.sleep(2000);
			redis.start();
			boolean resumed = load.awaitMore(50);
			load.close();

			Map<String, Long> answers = load.answers();
			long lost = load.lostOf(answers);
			DrillReport.record("redis-killed", load.refused(), (load.duplicate() != null) ? 1 : 0, lost,
					load.longestPauseMillisFrom(killed), storedIdentities(service) - answers.size());
			assertThat(resumed).as("allocation resumed after Redis came back").isTrue();
			assertThat(load.duplicate()).as("a number handed to two label sets").isNull();
			assertThat(lost).as("acknowledged allocations Redis forgot").isZero();
		}
	}

	@Test
	void redisWipedKeepsEveryNumberOnItsLabels() throws Exception {
		try (RunningIdentityService service = RunningIdentityService.start(redis.port());
				AllocationLoad load = new AllocationLoad(service, "wiped")) {
			load.allocateUntil(50);
			load.start();
			redis.flushAll();
			long wiped = System.nanoTime();
			boolean resumed = load.awaitMore(50);
			load.close();

			Map<String, Long> answers = load.answers();
			long lost = load.lostOf(answers);
			DrillReport.record("redis-wiped", load.refused(), (load.duplicate() != null) ? 1 : 0, lost,
					load.longestPauseMillisFrom(wiped), storedIdentities(service) - answers.size());
			assertThat(resumed).as("allocation resumed after the wipe").isTrue();
			assertThat(load.duplicate()).as("a number handed to two label sets").isNull();
			assertThat(lost).as("label sets whose number changed with the wipe").isZero();
		}
	}

	private static long storedIdentities(RunningIdentityService service) {
		return service.bean(org.springframework.data.redis.core.StringRedisTemplate.class)
			.opsForHash()
			.size("{jcilium:identity}:by-id");
	}

}
