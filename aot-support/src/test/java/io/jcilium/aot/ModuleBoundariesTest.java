package io.jcilium.aot;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.jcilium.testsupport.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries the build enforces on aot-support's main classes (rules and
 * reasons in {@link ModuleBoundaries}).
 */
class ModuleBoundariesTest {

	private static final JavaClasses CLASSES = ModuleBoundaries.mainClassesOf(ProcessedEnvironment.class);

	@Test
	void usesNoOtherServicesClasses() {
		ModuleBoundaries.noDependencyOnAnotherService(null).check(CLASSES);
	}

}
