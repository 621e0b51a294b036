package io.jcilium.operator;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.jcilium.testsupport.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries the build enforces on operator-service's main classes (rules and
 * reasons in {@link ModuleBoundaries}).
 */
class ModuleBoundariesTest {

	private static final JavaClasses CLASSES = ModuleBoundaries.mainClassesOf(OperatorServiceApplication.class);

	@Test
	void usesNoOtherServicesClasses() {
		ModuleBoundaries.noDependencyOnAnotherService("io.jcilium.operator").check(CLASSES);
	}

	@Test
	void runsOnJackson2Alone() {
		ModuleBoundaries.assertNoJackson3();
	}

}
