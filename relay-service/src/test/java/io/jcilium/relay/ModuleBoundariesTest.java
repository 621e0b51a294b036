package io.jcilium.relay;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.jcilium.testsupport.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries the build enforces on relay-service's main classes (rules and
 * reasons in {@link ModuleBoundaries}).
 */
class ModuleBoundariesTest {

	private static final JavaClasses CLASSES = ModuleBoundaries.mainClassesOf(RelayServiceApplication.class);

	@Test
	void usesNoOtherServicesClasses() {
		ModuleBoundaries.noDependencyOnAnotherService("io.jcilium.relay").check(CLASSES);
	}

	@Test
	void runsOnJackson3Alone() {
		ModuleBoundaries.assertNoJackson2();
	}

}
