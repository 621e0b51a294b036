package io.jcilium.agent.datapath.maps;

import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Btf;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the Java codecs and the C structs agree: every mirrored struct's size and every
 * member's name, offset and size as the compiler emitted them into the object's BTF.
 * Needs libbpf only (BTF is read from the file, nothing is loaded into the kernel).
 */
class DatapathStructsLayoutTest {

	@Test
	void everyMirroredStructMatchesTheCompiledLayout() {
		KernelRequirements.requireLibbpf();
		try (BpfObject object = BpfObject.open(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC))) {
			Btf btf = object.btf();
			for (DatapathStructs.Layout java : DatapathStructs.LAYOUTS) {
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

	@Test
	void onlyTheEndpointIdIsALoadTimeConstant() {
		KernelRequirements.requireLibbpf();
		try (BpfObject object = BpfObject.open(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC))) {
			assertThat(object.btf().variableOffset(".rodata", "ENDPOINT_ID")).isPresent();
			assertThat(object.btf().variableOffset(".rodata", "ENDPOINT")).isEmpty();
		}
	}

}
