package io.jcilium.agent.datapath.maps;

import io.jcilium.agent.datapath.DatapathObjects;
import io.jcilium.agent.datapath.KernelRequirements;
import io.jcilium.agent.datapath.TestLibbpf;
import io.jcilium.agent.datapath.libbpf.BpfObject;
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
		CompiledLayouts.assertMatch(DatapathObjects.LXC, DatapathStructs.LAYOUTS);
	}

	@Test
	void nothingOfAnEndpointIsCompiledIntoTheSharedObject() {
		KernelRequirements.requireLibbpf();
		try (BpfObject object = BpfObject.open(TestLibbpf.get(), DatapathObjects.resolve(DatapathObjects.LXC))) {
			assertThat(object.btf().variableOffset(".rodata", "ENDPOINT_ID")).isEmpty();
			assertThat(object.btf().variableOffset(".data", "POLICY_REVISION")).isEmpty();
		}
	}

}
