package io.jcilium.common;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.testsupport.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries the build enforces on common's main classes (rules and reasons in
 * {@link ModuleBoundaries}).
 */
class ModuleBoundariesTest {

	private static final JavaClasses CLASSES = ModuleBoundaries.mainClassesOf(ReservedIdentity.class);

	@Test
	void usesNoOtherServicesClasses() {
		ModuleBoundaries.noDependencyOnAnotherService(null).check(CLASSES);
	}

	@Test
	void commonUsesNoFramework() {
		ModuleBoundaries.commonIsFrameworkFree().check(CLASSES);
	}

	@Test
	void commonDoesNoIo() {
		ModuleBoundaries.commonDoesNoIo().check(CLASSES);
	}

}
