package io.jcilium.agent.hubble.enrich;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A flow's {@code uuid}: a random (version 4) UUID, as upstream gives every event. The
 * bits come from the thread's own generator rather than {@link UUID#randomUUID()}'s
 * SecureRandom: a uuid names a flow, it guards no secret, and the reader thread makes one
 * per flow.
 */
final class FlowUuids {

	private FlowUuids() {
	}

	static String next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		// RFC 9562 section 5.4: version 4 in bits 48-51, variant 10 in bits 64-65.
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & ~(0xC000_0000_0000_0000L)) | 0x8000_0000_0000_0000L;
		return new UUID(high, low).toString();
	}

}
