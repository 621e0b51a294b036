package io.jcilium.agent.datapath.lb;

import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Btf;
import io.jcilium.agent.datapath.maps.DatapathStructs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java codecs of {@link LbStructs} and the C structs of {@code bpf/lib/lb_types.h}
 * agree: sizes and every member's name, offset and size, as compiled into
 * {@code bpf_sock.o}'s BTF. Needs libbpf only.
 */
class LbStructsLayoutTest {

	@Test
	void everyMirroredStructMatchesTheCompiledLayout() {
		KernelRequirements.requireLibbpf();
		try (BpfObject object = BpfObject.open(TestLibbpf.get(), DatapathObjects.resolve(SocketLb.OBJECT))) {
			Btf btf = object.btf();
			for (DatapathStructs.Layout java : LbStructs.LAYOUTS) {
				Btf.StructLayout c = btf.struct(java.struct())
					.orElseThrow(() -> new AssertionError("struct " + java.struct() + " is not in the object's BTF"));
				assertThat(c.sizeBytes()).as("sizeof(struct %s)", java.struct()).isEqualTo(java.sizeBytes());
				List<DatapathStructs.Field> compiled = c.members()
					.stream()
					.map((m) -> new DatapathStructs.Field(m.name(), m.offsetBytes(), m.sizeBytes()))
					.toList();
				assertThat(java.fields()).as("members of struct %s", java.struct()).containsExactlyElementsOf(compiled);
			}
		}
	}

}
