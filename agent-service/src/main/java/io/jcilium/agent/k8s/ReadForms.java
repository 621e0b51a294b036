package io.jcilium.agent.k8s;

import com.fasterxml.jackson.annotation.JsonIncludeProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The forms in which the agent reads Pods and Nodes: their metadata whole, and of their
 * spec and status only what the agent uses, as Cilium's agent keeps "slim" objects. Of a
 * Pod: the node, the service account, the containers' named ports, the pod's addresses
 * and phase. Of a Node: its addresses and pod CIDRs.
 * <p>
 * A full Pod's spec is a tree of about 400 model classes (volumes and their two dozen
 * sources, probes, security contexts, affinities, ephemeral containers), a Node's status
 * another 15 (images, system info, conditions, volumes). Reading even an empty list made
 * Jackson build a deserializer for every one of them, with their reflected methods and
 * annotations: 4,500 of the agent's 7,200 fabric8 {@code Method}s on the heap, and 430 of
 * the classes it loaded after its start. With these mix-ins Jackson skips the other
 * fields' JSON without building anything for them; they read as empty (their getters
 * return fabric8's defaults) and are not kept among the unknown fields either.
 * <p>
 * The agent never writes a Pod or a Node back: one written through this serialization
 * would lose the fields left out. Every other kind is read and written whole.
 */
public final class ReadForms {

	private ReadForms() {
	}

	/**
	 * The agent client's serialization: fabric8's, with Pods and Nodes read in these
	 * forms.
	 * @return a new serialization
	 */
	public static KubernetesSerialization serialization() {
		ObjectMapper mapper = new ObjectMapper();
		mapper.addMixIn(PodSpec.class, PodSpecForm.class);
		mapper.addMixIn(Container.class, ContainerForm.class);
		mapper.addMixIn(PodStatus.class, PodStatusForm.class);
		mapper.addMixIn(NodeSpec.class, NodeSpecForm.class);
		mapper.addMixIn(NodeStatus.class, NodeStatusForm.class);
		return new KubernetesSerialization(mapper, true);
	}

	/** The node, the service account, and the containers (for their ports). */
	@JsonIncludeProperties({ "nodeName", "serviceAccountName", "serviceAccount", "hostNetwork", "containers",
			"initContainers" })
	private interface PodSpecForm {

	}

	/** A container's name and ports: named ports in policies and services. */
	@JsonIncludeProperties({ "name", "ports" })
	private interface ContainerForm {

	}

	/** The pod's addresses and phase. */
	@JsonIncludeProperties({ "phase", "podIP", "podIPs", "hostIP" })
	private interface PodStatusForm {

	}

	/**
	 * The node's pod CIDRs, the part of its spec Cilium's slim node keeps for Kubernetes'
	 * own IPAM (this agent's IPAM reads CiliumNodes).
	 */
	@JsonIncludeProperties({ "podCIDR", "podCIDRs" })
	private interface NodeSpecForm {

	}

	/** The node's addresses. */
	@JsonIncludeProperties({ "addresses" })
	private interface NodeStatusForm {

	}

}
