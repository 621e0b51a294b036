package io.jcilium.testsupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.jcilium.agent.boundaryfixture.AgentUsingIpam;
import io.jcilium.api.boundaryfixture.ApiUsingCommon;
import io.jcilium.common.boundaryfixture.CommonReadingFiles;
import io.jcilium.ipam.boundaryfixture.IpamInternal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The boundary rules fail on the crossings they name, with their reason, and pass where
 * nothing crosses (fixtures in this module's test sources, in the packages the rules
 * know).
 */
class ModuleBoundariesTest {

	@Test
	void aServiceUsingAnotherServicesClassFailsWithTheReason() {
		JavaClasses agent = new ClassFileImporter().importClasses(AgentUsingIpam.class);
		assertThatThrownBy(() -> ModuleBoundaries.noDependencyOnAnotherService("io.jcilium.agent").check(agent))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("AgentUsingIpam")
			.hasMessageContaining("IpamInternal")
			.hasMessageContaining("because services meet only over their APIs");
	}

	@Test
	void aServiceUsingItsOwnClassesAndTheIdentityClientPasses() {
		JavaClasses agent = new ClassFileImporter().importClasses(AgentUsingIpam.class);
		assertThatCode(() -> ModuleBoundaries.noDependencyOnAnotherService("io.jcilium.ipam")
			.check(new ClassFileImporter().importClasses(IpamInternal.class))).doesNotThrowAnyException();
		assertThatCode(() -> ModuleBoundaries.commonIsFrameworkFree().check(agent)).doesNotThrowAnyException();
	}

	@Test
	void commonReadingAFileFailsWithTheReason() {
		JavaClasses common = new ClassFileImporter().importClasses(CommonReadingFiles.class);
		assertThatThrownBy(() -> ModuleBoundaries.commonDoesNoIo().check(common)).isInstanceOf(AssertionError.class)
			.hasMessageContaining("java.nio.file.Files")
			.hasMessageContaining("because common is the domain core");
	}

	@Test
	void apiDependingOnCommonFailsWithTheReason() {
		JavaClasses api = new ClassFileImporter().importClasses(ApiUsingCommon.class);
		assertThatThrownBy(() -> ModuleBoundaries.apiDependsOnNothingOfOurs().check(api))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("CommonReadingFiles")
			.hasMessageContaining("because api is the contract");
	}

	@Test
	void theJacksonChecksNameTheJarThatBringsTheOtherJackson() {
		// This module's class path holds Jackson 2 (fabric8's model) and no Jackson 3.
		assertThatThrownBy(ModuleBoundaries::assertNoJackson2).isInstanceOf(AssertionError.class)
			.hasMessageContaining("com.fasterxml.jackson.databind.ObjectMapper is on the class path")
			.hasMessageContaining("jackson-databind")
			.hasMessageContaining("runs on Spring Boot's Jackson 3 alone");
		assertThatCode(ModuleBoundaries::assertNoJackson3).doesNotThrowAnyException();
	}

}
