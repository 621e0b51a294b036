package io.jcilium.operator.election;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jcilium.operator.OperatorServiceApplication;
import io.jcilium.operator.k8s.MockApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator as Spring wires it, with every controller that reads Nodes, CiliumNodes or
 * CiliumEndpoints switched on (node lifecycle, identity GC, endpoint GC, node
 * certificates, multi-pool IPAM, BGP node configs), against the CRUD mock API server:
 * each watched resource is watched once, however many controllers read it, and again once
 * when the replica leads a second time.
 */
@EnableKubernetesMockClient(crud = true)
@SpringBootTest(classes = { OperatorServiceApplication.class, OneWatchPerKindIT.MockClient.class },
		webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.grpc.server.port=0", "spring.main.cloud-platform=none",
				"jcilium.operator.election.enabled=false", "jcilium.operator.multi-pool.enabled=true",
				"jcilium.operator.bgp.enabled=true", "jcilium.operator.node-certificates.enabled=true" })
class OneWatchPerKindIT {

	/** The resources more than one controller reads. */
	private static final Set<String> SHARED = Set.of("/api/v1/nodes", "/apis/cilium.io/v2/ciliumnodes",
			"/apis/cilium.io/v2/ciliumendpoints");

	static KubernetesClient client;

	static KubernetesMockServer server;

	static KubernetesClient operator;

	@Autowired
	List<LeaderTask> tasks;

	@BeforeAll
	static void warmUp() {
		MockApi.warmUp(client);
		operator = MockApi.operatorClient(client);
	}

	@AfterAll
	static void closeOperatorClient() {
		operator.close();
	}

	@Test
	void eachResourceIsWatchedOnceAlsoAfterLeadingAgain() throws InterruptedException {
		Map<String, Integer> watches = watchesAfterStart();
		assertThat(watches).containsKeys(SHARED.toArray(String[]::new));
		assertThat(watches).as("watch requests per resource").allSatisfy((path, count) -> assertThat(count).isOne());

		// Leading again starts an informer for each resource again, and only one.
		this.tasks.forEach(LeaderTask::stopLeading);
		assertThat(watchesWithin(Duration.ofSeconds(1))).isEmpty();

		this.tasks.forEach(LeaderTask::startLeading);
		Map<String, Integer> again = watchesAfterStart();
		assertThat(again.keySet()).isEqualTo(watches.keySet());
		assertThat(again).allSatisfy((path, count) -> assertThat(count).isOne());
	}

	/** The watches opened until every shared resource is watched, and 3 s more. */
	private static Map<String, Integer> watchesAfterStart() throws InterruptedException {
		List<String> paths = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!paths.containsAll(SHARED) && System.nanoTime() < deadline) {
			RecordedRequest request = server.takeRequest(100, TimeUnit.MILLISECONDS);
			if (request != null && isWatch(request)) {
				paths.add(resource(request));
			}
		}
		assertThat(paths).as("watched resources").containsAll(SHARED);
		Map<String, Integer> counts = watchesWithin(Duration.ofSeconds(3));
		paths.forEach((path) -> counts.merge(path, 1, Integer::sum));
		return counts;
	}

	private static Map<String, Integer> watchesWithin(Duration window) throws InterruptedException {
		Map<String, Integer> counts = new TreeMap<>();
		long deadline = System.nanoTime() + window.toNanos();
		while (System.nanoTime() < deadline) {
			RecordedRequest request = server.takeRequest(100, TimeUnit.MILLISECONDS);
			if (request != null && isWatch(request)) {
				counts.merge(resource(request), 1, Integer::sum);
			}
		}
		return counts;
	}

	private static boolean isWatch(RecordedRequest request) {
		return request.getPath() != null && request.getPath().contains("watch=true");
	}

	private static String resource(RecordedRequest request) {
		String path = request.getPath();
		return path.substring(0, path.indexOf('?'));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class MockClient {

		// The test class closes this client after all its tests.
		@Bean(destroyMethod = "")
		@Primary
		KubernetesClient mockKubernetesClient() {
			return operator;
		}

	}

}
