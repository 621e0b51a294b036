package io.jcilium.agent.datapath.lb;

import io.jcilium.agent.datapath.maps.CompiledLayouts;
import org.junit.jupiter.api.Test;

/**
 * The Java codecs of {@link LbStructs} and the C structs of {@code bpf/lib/lb_types.h}
 * agree: sizes and every member's name, offset and size, as compiled into
 * {@code bpf_sock.o}'s BTF. Needs libbpf only.
 */
class LbStructsLayoutTest {

	@Test
	void everyMirroredStructMatchesTheCompiledLayout() {
		CompiledLayouts.assertMatch(SocketLb.OBJECT, LbStructs.LAYOUTS);
	}

}
