package io.jcilium.api.crd;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated CRDs carry upstream's printer columns in upstream's order (the generator
 * sorts them by path; the build puts them back) and upstream's short names.
 */
class CrdPrinterColumnsTest {

	@Test
	void endpointsShowIdentityStateAndAddressesWithEnforcementInTheWideView() throws IOException {
		CustomResourceDefinition crd = crd("ciliumendpoints");
		assertThat(columns(crd, CustomResourceColumnDefinition::getName)).containsExactly("Security Identity",
				"Ingress Enforcement", "Egress Enforcement", "Endpoint State", "IPv4", "IPv6");
		assertThat(columns(crd, CustomResourceColumnDefinition::getPriority)).containsExactly(0, 1, 1, 0, 0, 0);
		assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("cep", "ciliumep");
	}

	@Test
	void nodesPoliciesAndIdentitiesShowUpstreamsColumns() throws IOException {
		assertThat(columns(crd("ciliumnodes"), CustomResourceColumnDefinition::getName))
			.containsExactly("CiliumInternalIP", "InternalIP", "PodCIDRs", "Age");
		assertThat(columns(crd("ciliumnetworkpolicies"), CustomResourceColumnDefinition::getName))
			.containsExactly("Age", "Valid");
		assertThat(columns(crd("ciliumclusterwidenetworkpolicies"), CustomResourceColumnDefinition::getJsonPath))
			.containsExactly(".metadata.creationTimestamp", ".status.conditions[?(@.type=='Valid')].status");
		assertThat(columns(crd("ciliumidentities"), CustomResourceColumnDefinition::getJsonPath))
			.containsExactly(".metadata.labels.io\\.kubernetes\\.pod\\.namespace", ".metadata.creationTimestamp");
		assertThat(crd("ciliumnodes").getSpec().getNames().getShortNames()).containsExactly("cn", "ciliumn");
		assertThat(crd("ciliumnetworkpolicies").getSpec().getNames().getShortNames()).containsExactly("cnp",
				"ciliumnp");
		assertThat(crd("ciliumclusterwidenetworkpolicies").getSpec().getNames().getShortNames())
			.containsExactly("ccnp");
		assertThat(crd("ciliumidentities").getSpec().getNames().getShortNames()).containsExactly("ciliumid");
	}

	private static <T> List<T> columns(CustomResourceDefinition crd,
			Function<CustomResourceColumnDefinition, T> field) {
		return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream().map(field).toList();
	}

	private static CustomResourceDefinition crd(String plural) throws IOException {
		String path = "/META-INF/fabric8/" + plural + ".cilium.io-v1.yml";
		try (InputStream in = Objects.requireNonNull(CrdPrinterColumnsTest.class.getResourceAsStream(path), path)) {
			return Serialization.unmarshal(in, CustomResourceDefinition.class);
		}
	}

}
