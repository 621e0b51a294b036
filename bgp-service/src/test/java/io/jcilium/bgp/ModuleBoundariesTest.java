package io.jcilium.bgp;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.jcilium.testsupport.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries the build enforces on bgp-service's main classes (rules and
 * reasons in {@link ModuleBoundaries}).
 */
class ModuleBoundariesTest {

	private static final JavaClasses CLASSES = ModuleBoundaries.mainClassesOf(BgpServiceApplication.class);

	@Test
	void usesNoOtherServicesClasses() {
		ModuleBoundaries.noDependencyOnAnotherService("io.jcilium.bgp").check(CLASSES);
	}

	@Test
	void runsOnJackson2Alone() {
		ModuleBoundaries.assertNoJackson3();
	}

}
