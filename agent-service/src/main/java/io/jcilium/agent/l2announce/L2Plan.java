package io.jcilium.agent.l2announce;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * What this node competes to announce: per service, its addresses and the devices to
 * answer on; and every policy that could not be applied, with the reason.
 *
 * @param services the selected services
 * @param errors one line per rejected policy
 */
public record L2Plan(SortedMap<AnnouncedService, Announcement> services, List<String> errors) {

	/**
	 * The addresses of one service and the devices they are answered on.
	 *
	 * @param addresses the service's addresses the policies select
	 * @param devices the devices the policies select on this node
	 */
	public record Announcement(Set<InetAddress> addresses, Set<String> devices) {

	}

	/**
	 * The responder entries of the services this node holds the Lease of.
	 * @param held the services whose Lease this node holds
	 * @return every (device, address) to answer for
	 */
	public Set<ResponderEntry> entries(Set<AnnouncedService> held) {
		Set<ResponderEntry> entries = new LinkedHashSet<>();
		for (Map.Entry<AnnouncedService, Announcement> service : this.services.entrySet()) {
			if (!held.contains(service.getKey())) {
				continue;
			}
			for (String device : service.getValue().devices()) {
				for (InetAddress address : service.getValue().addresses()) {
					entries.add(new ResponderEntry(device, address));
				}
			}
		}
		return entries;
	}

}
