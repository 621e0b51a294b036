package io.jcilium.agent.datapath.l2;

import io.jcilium.agent.datapath.maps.CompiledLayouts;
import org.junit.jupiter.api.Test;

/**
 * The Java codec of {@link ResponderMaps} and the C structs of
 * {@code bpf/lib/l2_responder.h} agree, as compiled into {@code bpf_l2.o}'s BTF.
 */
class ResponderMapsLayoutTest {

	@Test
	void everyMirroredStructMatchesTheCompiledLayout() {
		CompiledLayouts.assertMatch(BpfL2Responder.OBJECT, ResponderMaps.LAYOUTS);
	}

}
