package io.jcilium.identity.grpc;

import io.jcilium.api.identity.v1.Identity;
import io.jcilium.api.identity.v1.IdentityEvent;
import io.jcilium.identity.allocation.WatchEvent;

/** The domain's identities and watch events as {@code identity.v1} messages. */
final class IdentityMessages {

	private IdentityMessages() {
	}

	static Identity toProto(io.jcilium.identity.allocation.Identity identity) {
		return Identity.newBuilder()
			.setId(identity.id())
			.addAllLabels(identity.labels())
			.setReserved(identity.reserved())
			.build();
	}

	static IdentityEvent toProto(WatchEvent event) {
		IdentityEvent.Builder proto = IdentityEvent.newBuilder();
		switch (event.kind()) {
			case UPSERT -> proto.setKind(IdentityEvent.Kind.UPSERT).setIdentity(toProto(event.identity()));
			case DELETE -> proto.setKind(IdentityEvent.Kind.DELETE).setIdentity(toProto(event.identity()));
			case SYNCED -> proto.setKind(IdentityEvent.Kind.SYNCED);
		}
		return proto.build();
	}

}
