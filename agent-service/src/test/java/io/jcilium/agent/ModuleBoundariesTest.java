package io.jcilium.agent;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.jcilium.testsupport.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries the build enforces on agent-service's main classes (rules and
 * reasons in {@link ModuleBoundaries}).
 */
class ModuleBoundariesTest {

	private static final JavaClasses CLASSES = ModuleBoundaries.mainClassesOf(AgentServiceApplication.class);

	@Test
	void usesNoOtherServicesClasses() {
		ModuleBoundaries.noDependencyOnAnotherService("io.jcilium.agent").check(CLASSES);
	}

	@Test
	void runsOnJackson2Alone() {
		ModuleBoundaries.assertNoJackson3();
	}

}
