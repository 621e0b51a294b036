package io.jcilium.agent;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.jcilium.agent.datapath.libbpf.LibBpfBindings;
import io.jcilium.agent.datapath.libbpf.Libbpf;
import io.jcilium.agent.hubble.FlowSink;

import org.springframework.context.annotation.Configuration;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.INTERFACES;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

/**
 * The agent's internal boundaries, checked on the compiled classes so that a change that
 * breaks one fails the build with the reason instead of living on as prose.
 */
@AnalyzeClasses(packages = "io.jcilium.agent",
		importOptions = { ImportOption.DoNotIncludeTests.class, AgentArchitectureTest.NotGenerated.class })
class AgentArchitectureTest {

	/**
	 * Without the code Spring AOT generates at build time ({@code Foo__BeanDefinitions},
	 * {@code Foo$$SpringCGLIB$$0}): it is the configuration classes' wiring written out
	 * as code, which reaches every implementation as the configuration classes do.
	 */
	static final class NotGenerated implements ImportOption {

		@Override
		public boolean includes(Location location) {
			return !location.contains("__") && !location.contains("$$SpringCGLIB$$");
		}

	}

	@ArchTest
	static final ArchRule policyDoesNotKnowTheDatapath = noClasses().that()
		.resideInAPackage("..agent.policy..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("..agent.datapath..")
		.because("the policy cell speaks policy entries (peer identity, direction, protocol, ports, verdict); "
				+ "encoding them into BPF map keys is the datapath's job, so the kernel's key format never "
				+ "leaks into policy logic and the two cannot form a cycle");

	@ArchTest
	static final ArchRule onlyTheDatapathTouchesLibbpf = noClasses().that()
		.resideOutsideOfPackage("..agent.datapath..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("jnr..", "..agent.datapath.libbpf..")
		.because("libbpf through jnr-ffi is the kernel edge: everything outside the datapath must run and be "
				+ "tested without a kernel");

	@ArchTest
	static final ArchRule libbpfIsNoStaticSingleton = noFields().that()
		.areStatic()
		.should()
		.haveRawType(LibBpfBindings.class)
		.orShould()
		.haveRawType(Libbpf.class)
		.because("libbpf is one object the datapath configuration creates and passes to what opens objects, "
				+ "maps and tc hooks; a static instance would be reachable from anywhere and hide who uses "
				+ "the kernel");

	@ArchTest
	static final ArchRule onlySpringConfigurationLoadsLibbpf = noClasses().that()
		.areNotAnnotatedWith(Configuration.class)
		.should()
		.callMethod(Libbpf.class, "load")
		.because("the agent loads libbpf once, as a bean of the datapath configuration (only when the datapath "
				+ "is enabled); everything else receives that instance");

	@ArchTest
	static final ArchRule featuresReachTheDatapathThroughTheirOwnInterfaces = noClasses().that()
		.resideOutsideOfPackage("..agent.datapath..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("..agent.datapath..")
		.because("features declare what they need from the datapath as their own interfaces (EndpointDatapath, "
				+ "EndpointPolicyMap, IpcacheUpdates) which the datapath implements, so they run with in-memory "
				+ "fakes and with the datapath switched off");

	@ArchTest
	static final ArchRule theEndpointLifecycleMeetsOtherFeaturesThroughInterfaces = noClasses().that()
		.resideInAPackage("..agent.endpoint..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("..agent.policy..", "..agent.identity..", "..agent.datapath..", "..agent.cni..")
		.because("the endpoint reconciler reaches identities, policy readiness and the datapath only through "
				+ "its own interfaces (IdentityResolver, PolicyReadiness, EndpointDatapath), which its unit "
				+ "tests replace with fakes");

	@ArchTest
	static final ArchRule otherFeaturesUseThePolicyCellThroughItsInterfaces = noClasses().that()
		.resideOutsideOfPackage("..agent.policy..")
		.and()
		.areNotAnnotatedWith(Configuration.class)
		.should()
		.dependOnClassesThat(policyImplementation())
		.because("the policy cell's implementation (AgentPolicy, its map writer, its watcher) is its own "
				+ "business: other features use PolicyUpdates, EndpointPolicies and EndpointPolicyMap, and only "
				+ "Spring configuration wires the implementation in");

	@ArchTest
	static final ArchRule kubernetesPlumbingHoldsNoFeature = noClasses().that()
		.resideInAPackage("..agent.k8s..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("..agent.policy..", "..agent.node..", "..agent.ipcache..", "..agent.identity..",
				"..agent.datapath..")
		.because("k8s holds only the client and informer plumbing: a watcher belongs to the feature it feeds "
				+ "(policy, endpoint, node, ipcache), next to its configuration and tests");

	@ArchTest
	static final ArchRule hubbleReadsOtherFeaturesThroughInterfacesAndValues = noClasses().that()
		.resideInAPackage("..agent.hubble..")
		.should()
		.dependOnClassesThat(featureImplementation())
		.because("Hubble only observes: it learns endpoints from EndpointListener and node settings from records, "
				+ "and gets datapath events pushed through its own FlowSink, so it can neither change another "
				+ "feature's state nor form a cycle with the cells it watches");

	@ArchTest
	static final ArchRule theDatapathFeedsHubbleOnlyThroughFlowSink = noClasses().that()
		.resideInAPackage("..agent.datapath..")
		.should()
		.dependOnClassesThat(resideInAPackage("..agent.hubble..").and(not(assignableTo(FlowSink.class))))
		.because("the datapath decodes its events into flows and hands them over; the ring, the enrichment and the "
				+ "Observer API are Hubble's business");

	private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> featureImplementation() {
		return resideInAnyPackage("..agent.endpoint..", "..agent.identity..", "..agent.policy..", "..agent.datapath..",
				"..agent.k8s..", "..agent.cni..")
			.and(not(INTERFACES))
			.and(not(com.tngtech.archunit.base.DescribedPredicate.describe("records", JavaClass::isRecord)))
			.as("implementation classes of other features");
	}

	private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> policyImplementation() {
		return resideInAPackage("..agent.policy..").and(not(INTERFACES))
			.as("implementation classes of the policy cell");
	}

}
