package io.jcilium.api;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.jcilium.api.identity.v1.AllocateRequest;
import io.jcilium.testsupport.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries the build enforces on api's main classes (rules and reasons in
 * {@link ModuleBoundaries}).
 */
class ModuleBoundariesTest {

	private static final JavaClasses CLASSES = ModuleBoundaries.mainClassesOf(AllocateRequest.class);

	@Test
	void usesNoOtherServicesClasses() {
		ModuleBoundaries.noDependencyOnAnotherService(null).check(CLASSES);
	}

	@Test
	void apiDependsOnNothingElseOfOurs() {
		ModuleBoundaries.apiDependsOnNothingOfOurs().check(CLASSES);
	}

}
