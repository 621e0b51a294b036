package io.jcilium.identity.grpc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the gRPC API per caller.
 *
 * @param watchStreamsPerCaller most Watch streams one caller (a node, the operator, or an
 * undeclared caller's address) keeps open at once; an agent needs one, and a second while
 * a restarted agent's old stream has not yet timed out
 * @param listPageSizeMax most identities in one List reply (a larger page size is cut to
 * this); the default page is {@value IdentityPages#DEFAULT_PAGE_SIZE} or this, whichever
 * is smaller
 * @param watchBufferEvents most events held for one Watch stream whose client does not
 * read; a client further behind is dropped and watches again (a whole snapshot must fit)
 */
@ConfigurationProperties("jcilium.identity.grpc")
record GrpcLimitsProperties(@DefaultValue("4") int watchStreamsPerCaller, @DefaultValue("5000") int listPageSizeMax,
		@DefaultValue("100000") int watchBufferEvents) {

	static final String WATCH_STREAMS_PROPERTY = "jcilium.identity.grpc.watch-streams-per-caller";

	GrpcLimitsProperties {
		if (watchStreamsPerCaller < 1 || listPageSizeMax < 1 || watchBufferEvents < 1) {
			throw new IllegalArgumentException(WATCH_STREAMS_PROPERTY + " (" + watchStreamsPerCaller
					+ "), jcilium.identity.grpc.list-page-size-max (" + listPageSizeMax + ") and "
					+ FlowControlledStream.BUFFER_PROPERTY + " (" + watchBufferEvents + ") must be at least 1");
		}
	}

}
