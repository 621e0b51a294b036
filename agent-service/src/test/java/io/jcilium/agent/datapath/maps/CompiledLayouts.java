package io.jcilium.agent.datapath.maps;

import java.util.List;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.BpfObject;
import io.jcilium.agent.datapath.libbpf.Btf;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check every C-struct mirror needs: each Java layout's size and every member's name,
 * offset and size equal what the compiler emitted into the object's BTF. Needs libbpf
 * only (BTF is read from the file, nothing is loaded into the kernel).
 */
public final class CompiledLayouts {

	private CompiledLayouts() {
	}

	/**
	 * Asserts that the layouts match the structs compiled into an object.
	 * @param objectName the object the agent ships, e.g. {@link DatapathObjects#LXC}
	 * @param layouts the Java mirrors of its structs
	 */
	public static void assertMatch(String objectName, List<DatapathStructs.Layout> layouts) {
		KernelRequirements.requireLibbpf();
		try (BpfObject object = BpfObject.open(TestLibbpf.get(), DatapathObjects.resolve(objectName))) {
			Btf btf = object.btf();
			for (DatapathStructs.Layout java : layouts) {
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
