package io.jcilium.bgp.rib;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jcilium.bgp.wire.AddressFamily;
import io.jcilium.bgp.wire.Prefix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdvertisedRoutesTest {

	private static final RouteAttributes TAGGED = new RouteAttributes(null, 200L, List.of(0xFDE80064L));

	@Test
	void groupsEachFamilyByAttributesInTheOrderGiven() {
		Map<Prefix, RouteAttributes> desired = new LinkedHashMap<>();
		desired.put(Prefix.parse("10.0.2.0/24"), RouteAttributes.DEFAULT);
		desired.put(Prefix.parse("10.0.1.0/24"), TAGGED);
		desired.put(Prefix.parse("2001:db8::/64"), RouteAttributes.DEFAULT);
		// equal attributes in another object still share the group
		desired.put(Prefix.parse("10.0.0.0/24"), new RouteAttributes(null, null, List.of()));
		AdvertisedRoutes routes = new AdvertisedRoutes();
		routes.replace(desired);

		assertThat(routes.byAttributes(AddressFamily.IPV4_UNICAST)).containsExactly(
				Map.entry(RouteAttributes.DEFAULT, List.of(Prefix.parse("10.0.2.0/24"), Prefix.parse("10.0.0.0/24"))),
				Map.entry(TAGGED, List.of(Prefix.parse("10.0.1.0/24"))));
		assertThat(routes.byAttributes(AddressFamily.IPV6_UNICAST))
			.containsExactly(Map.entry(RouteAttributes.DEFAULT, List.of(Prefix.parse("2001:db8::/64"))));
		assertThat(routes.count(AddressFamily.IPV4_UNICAST)).isEqualTo(3);
		assertThat(routes.count(AddressFamily.IPV6_UNICAST)).isEqualTo(1);
	}

	@Test
	void aReplaceLeavesEarlierGroupsAloneAndReportsOnlyChanges() {
		AdvertisedRoutes routes = new AdvertisedRoutes();
		routes.replace(Map.of(Prefix.parse("10.0.0.0/24"), RouteAttributes.DEFAULT, Prefix.parse("10.0.1.0/24"),
				RouteAttributes.DEFAULT));
		Map<RouteAttributes, List<Prefix>> before = routes.byAttributes(AddressFamily.IPV4_UNICAST);

		AdvertisedRoutes.Changes changes = routes
			.replace(Map.of(Prefix.parse("10.0.0.0/24"), RouteAttributes.DEFAULT, Prefix.parse("10.0.2.0/24"), TAGGED));

		assertThat(changes.announced()).containsExactly(Map.entry(Prefix.parse("10.0.2.0/24"), TAGGED));
		assertThat(changes.withdrawn()).containsExactly(Prefix.parse("10.0.1.0/24"));
		assertThat(before.get(RouteAttributes.DEFAULT)).containsExactlyInAnyOrder(Prefix.parse("10.0.0.0/24"),
				Prefix.parse("10.0.1.0/24"));
		assertThat(routes.byAttributes(AddressFamily.IPV4_UNICAST)).containsOnly(
				Map.entry(RouteAttributes.DEFAULT, List.of(Prefix.parse("10.0.0.0/24"))),
				Map.entry(TAGGED, List.of(Prefix.parse("10.0.2.0/24"))));
		assertThat(routes.count(AddressFamily.IPV6_UNICAST)).isZero();
	}

}
