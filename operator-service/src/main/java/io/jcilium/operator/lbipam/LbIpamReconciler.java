package io.jcilium.operator.lbipam;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jcilium.operator.lbipam.LbIpamPlan.ServiceResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One level-triggered pass of LB-IPAM against the Kubernetes API: maps the Services and
 * pools it is given, plans, and writes only the statuses that differ from the plan (so a
 * pass over a converged cluster writes nothing, and the status updates it causes settle
 * after one more pass).
 */
final class LbIpamReconciler {

	private static final Logger logger = LoggerFactory.getLogger(LbIpamReconciler.class);

	private final KubernetesClient client;

	private final ResourceDefinitionContext poolContext;

	private final LbIpamPlanner planner = new LbIpamPlanner();

	private final Clock clock;

	LbIpamReconciler(KubernetesClient client, ResourceDefinitionContext poolContext, Clock clock) {
		this.client = client;
		this.poolContext = poolContext;
		this.clock = clock;
	}

	/**
	 * Converge the given objects.
	 * @param services every Service (those LB-IPAM does not serve are skipped)
	 * @param pools every pool
	 * @return how many objects were written
	 */
	int reconcile(List<Service> services, List<GenericKubernetesResource> pools) {
		List<LbPool> lbPools = new ArrayList<>();
		Map<String, List<LbCondition>> invalidPools = new LinkedHashMap<>();
		for (GenericKubernetesResource pool : pools) {
			try {
				lbPools.add(PoolMapper.toLbPool(pool));
			}
			catch (IllegalArgumentException ex) {
				invalidPools.put(pool.getMetadata().getName(), List.of(new LbCondition(LbCondition.POOL_CONFLICT,
						"True", "invalid_spec", "Pool has an invalid spec: " + ex.getMessage())));
			}
		}
		int written = 0;
		Map<String, Service> served = new LinkedHashMap<>();
		List<LbService> lbServices = new ArrayList<>();
		for (Service service : services) {
			if (ServiceMapper.isResponsibleFor(service)) {
				LbService lbService = ServiceMapper.toLbService(service);
				served.put(lbService.key(), service);
				lbServices.add(lbService);
			}
			else if (release(service)) {
				written++;
			}
		}
		LbIpamPlan plan = this.planner.plan(lbPools, lbServices);
		for (Map.Entry<String, ServiceResult> entry : plan.services().entrySet()) {
			written += writeService(served.get(entry.getKey()), entry.getValue()) ? 1 : 0;
		}
		Map<String, List<LbCondition>> poolConditions = new LinkedHashMap<>(plan.pools());
		poolConditions.putAll(invalidPools);
		for (GenericKubernetesResource pool : pools) {
			written += writePool(pool, poolConditions.get(pool.getMetadata().getName())) ? 1 : 0;
		}
		return written;
	}

	private boolean writeService(Service service, ServiceResult result) {
		ServiceStatus status = (service.getStatus() != null) ? service.getStatus() : new ServiceStatus();
		List<LoadBalancerIngress> ingress = result.ips().stream().map((ip) -> {
			LoadBalancerIngress entry = new LoadBalancerIngress();
			entry.setIp(ip);
			return entry;
		}).toList();
		List<String> currentIps = ingressIps(status);
		Long generation = service.getMetadata().getGeneration();
		List<Condition> conditions = Conditions.merge(status.getConditions(), result.condition(), generation,
				this.clock);
		if (currentIps.equals(result.ips()) && Objects.equals(conditions, status.getConditions())) {
			return false;
		}
		Service updated = new ServiceBuilder(service).build();
		LoadBalancerStatus loadBalancer = new LoadBalancerStatus();
		loadBalancer.setIngress(new ArrayList<>(ingress));
		ServiceStatus newStatus = new ServiceStatus(conditions, loadBalancer);
		updated.setStatus(newStatus);
		logger.info("Service {}: ingress {} ({}: {})", service.getMetadata().getName(), result.ips(),
				result.condition().reason(), result.condition().message());
		this.client.services().inNamespace(service.getMetadata().getNamespace()).resource(updated).updateStatus();
		return true;
	}

	// A Service LB-IPAM no longer serves (no longer type LoadBalancer, or now another
	// controller's class) that still carries our condition was ours: its addresses go
	// back to the pools (the plan no longer counts them) and leave its status, with our
	// condition, as upstream does. The condition marks what was ours, so a restart in
	// between loses nothing and another controller's status is never touched.
	private boolean release(Service service) {
		ServiceStatus status = service.getStatus();
		if (status == null || status.getConditions() == null
				|| status.getConditions()
					.stream()
					.noneMatch((condition) -> LbCondition.SERVICE_REQUEST_SATISFIED.equals(condition.getType()))) {
			return false;
		}
		List<Condition> others = status.getConditions()
			.stream()
			.filter((condition) -> !LbCondition.SERVICE_REQUEST_SATISFIED.equals(condition.getType()))
			.toList();
		Service updated = new ServiceBuilder(service).build();
		updated.setStatus(new ServiceStatus(new ArrayList<>(others), new LoadBalancerStatus()));
		logger.info("Service {}/{} is no longer LB-IPAM's: released {}", service.getMetadata().getNamespace(),
				service.getMetadata().getName(), ingressIps(status));
		this.client.services().inNamespace(service.getMetadata().getNamespace()).resource(updated).updateStatus();
		return true;
	}

	private static List<String> ingressIps(ServiceStatus status) {
		return (status.getLoadBalancer() != null && status.getLoadBalancer().getIngress() != null)
				? status.getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp).toList() : List.of();
	}

	private boolean writePool(GenericKubernetesResource pool, List<LbCondition> desired) {
		if (desired == null) {
			return false;
		}
		Long generation = pool.getMetadata().getGeneration();
		Map<String, Object> status = Conditions.asMap(pool.getAdditionalProperties().get("status"));
		List<Map<String, Object>> current = Conditions.rawList(status.get("conditions"));
		List<Map<String, Object>> merged = Conditions.mergeRaw(current, desired, generation, this.clock);
		if (merged.equals(current)) {
			return false;
		}
		GenericKubernetesResource updated = this.client.getKubernetesSerialization().clone(pool);
		Map<String, Object> newStatus = new LinkedHashMap<>(status);
		newStatus.put("conditions", merged);
		updated.getAdditionalProperties().put("status", newStatus);
		logger.info("CiliumLoadBalancerIPPool {}: {}", pool.getMetadata().getName(), desired.get(0).message());
		this.client.genericKubernetesResources(this.poolContext).resource(updated).updateStatus();
		return true;
	}

}
