package io.jcilium.identity.grpc;

import java.util.List;

import io.jcilium.api.identity.v1.ListRequest;
import io.jcilium.api.identity.v1.ListResponse;
import io.jcilium.identity.allocation.Identity;
import io.jcilium.identity.allocation.InvalidIdentityRequestException;

/**
 * Cuts the identity table into List pages. A page token is the last number of the page
 * before: pages stay consistent while identities come and go (a number is listed at most
 * once, and every identity that lives through the whole listing is listed), and a token
 * never expires.
 */
final class IdentityPages {

	static final int DEFAULT_PAGE_SIZE = 500;

	private final int maxPageSize;

	IdentityPages(int maxPageSize) {
		this.maxPageSize = maxPageSize;
	}

	/**
	 * @param identities every identity, by number
	 * @param request the page asked for
	 * @return the page
	 * @throws InvalidIdentityRequestException when the page token is not one this service
	 * gave
	 */
	ListResponse page(List<Identity> identities, ListRequest request) {
		long after = after(request.getPageToken());
		int size = (request.getPageSize() == 0) ? Math.min(DEFAULT_PAGE_SIZE, this.maxPageSize)
				: Math.min(request.getPageSize(), this.maxPageSize);
		ListResponse.Builder page = ListResponse.newBuilder();
		int start = firstAfter(identities, after);
		int end = Math.min(identities.size(), start + size);
		for (int i = start; i < end; i++) {
			page.addIdentities(IdentityMessages.toProto(identities.get(i)));
		}
		if (end < identities.size()) {
			page.setNextPageToken(Integer.toUnsignedString(identities.get(end - 1).id()));
		}
		return page.build();
	}

	private static int firstAfter(List<Identity> identities, long after) {
		int low = 0;
		int high = identities.size();
		while (low < high) {
			int middle = (low + high) >>> 1;
			if (Integer.toUnsignedLong(identities.get(middle).id()) <= after) {
				low = middle + 1;
			}
			else {
				high = middle;
			}
		}
		return low;
	}

	private static long after(String token) {
		if (token.isEmpty()) {
			return -1;
		}
		try {
			return Integer.parseUnsignedInt(token);
		}
		catch (NumberFormatException ex) {
			throw new InvalidIdentityRequestException("page_token '" + token
					+ "' is not one identity-service gave: pass the previous reply's next_page_token, or nothing");
		}
	}

}
