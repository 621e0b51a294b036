package io.jcilium.api.crd.v2;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.jcilium.api.crd.CiliumGroup;

/**
 * A node as Cilium sees it: its addresses and its pod CIDRs (written by the operator from
 * ipam-service), and the IPs in use (written by the agent).
 */
@Group(CiliumGroup.GROUP)
@Version(CiliumGroup.V2)
@ShortNames({ "cn", "ciliumn" })
@AdditionalPrinterColumn(name = "CiliumInternalIP", jsonPath = ".spec.addresses[?(@.type==\"CiliumInternalIP\")].ip",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "Cilium internal IP for this node")
@AdditionalPrinterColumn(name = "InternalIP", jsonPath = ".spec.addresses[?(@.type==\"InternalIP\")].ip",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "IP of the node")
@AdditionalPrinterColumn(name = "PodCIDRs", jsonPath = ".spec.ipam.podCIDRs",
		type = AdditionalPrinterColumn.Type.STRING, getDescription = "Pod CIDRs the node allocates from")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
		type = AdditionalPrinterColumn.Type.DATE, getDescription = "Time duration since creation of Ciliumnode")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CiliumNode extends CustomResource<CiliumNode.Spec, CiliumNode.Status> {

	private static final long serialVersionUID = 1L;

	/** Desired state of the node. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Spec {

		@JsonProperty("instance-id")
		public String instanceId;

		public List<NodeAddress> addresses;

		public AddressPair health;

		public AddressPair ingress;

		public Encryption encryption;

		public IpamSpec ipam;

		public Long nodeidentity;

		public String bootid;

	}

	/** An address of the node: type (InternalIP, ExternalIP, CiliumInternalIP) and IP. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class NodeAddress {

		public String type;

		public String ip;

	}

	/** An IPv4 and an IPv6 address. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class AddressPair {

		public String ipv4;

		public String ipv6;

	}

	/** The encryption key index in use. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Encryption {

		public Integer key;

	}

	/** IPAM settings and allocations of the node. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class IpamSpec {

		/** The node's pod CIDRs (cluster-pool IPAM). */
		public List<String> podCIDRs;

		/** IPs available to the node (CRD-backed IPAM), keyed by IP. */
		public Map<String, AllocationIp> pool;

		@JsonProperty("ipv6-pool")
		public Map<String, AllocationIp> ipv6Pool;

		/** Multi-pool requests and allocations. */
		public IpamPoolSpec pools;

		@JsonProperty("min-allocate")
		public Integer minAllocate;

		@JsonProperty("max-allocate")
		public Integer maxAllocate;

		@JsonProperty("pre-allocate")
		public Integer preAllocate;

		@JsonProperty("max-above-watermark")
		public Integer maxAboveWatermark;

	}

	/** Who uses an IP. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class AllocationIp {

		public String owner;

		public String resource;

	}

	/** Multi-pool: what the agent needs per pool and what the operator allocated. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class IpamPoolSpec {

		public List<IpamPoolRequest> requested;

		public List<IpamPoolAllocation> allocated;

	}

	/** Addresses the node needs from a pool. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class IpamPoolRequest {

		public String pool;

		public IpamPoolDemand needed;

	}

	/** Number of addresses needed per family. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class IpamPoolDemand {

		@JsonProperty("ipv4-addrs")
		public Integer ipv4Addrs;

		@JsonProperty("ipv6-addrs")
		public Integer ipv6Addrs;

	}

	/** CIDRs of a pool allocated to the node. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class IpamPoolAllocation {

		public String pool;

		public List<String> cidrs;

	}

	/** Observed state of the node. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class Status {

		public IpamStatus ipam;

	}

	/** IPs in use on the node and the operator's last error. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class IpamStatus {

		public Map<String, AllocationIp> used;

		@JsonProperty("ipv6-used")
		public Map<String, AllocationIp> ipv6Used;

		@JsonProperty("operator-status")
		public OperatorStatus operatorStatus;

		@JsonProperty("release-ips")
		public Map<String, String> releaseIps;

		@JsonProperty("release-ipv6s")
		public Map<String, String> releaseIpv6s;

	}

	/** The operator's view of the node's IPAM. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class OperatorStatus {

		public String error;

	}

}
