package io.jcilium.common.policy.model;

import java.util.List;
import java.util.stream.Collectors;

import io.jcilium.common.identity.ReservedIdentity;
import io.jcilium.common.selector.LabelSelector;
import io.jcilium.common.net.Cidr;

/**
 * A peer term of a rule: which identities it selects. Peers are values (equal peers are
 * shared in the selector cache).
 */
public sealed interface Peer permits Peer.Endpoints, Peer.CidrBlock, Peer.EntityPeer {

	/**
	 * Whether the peer selects the identity.
	 * @param identity a security identity
	 * @return whether it is selected
	 */
	boolean selects(Identity identity);

	/**
	 * Endpoints selected by labels ({@code fromEndpoints}, NP {@code podSelector} and
	 * {@code namespaceSelector}).
	 *
	 * @param selector the label selector, already narrowed to the policy's namespace
	 * where upstream does so
	 */
	record Endpoints(LabelSelector selector) implements Peer {

		@Override
		public boolean selects(Identity identity) {
			return this.selector.matches(identity.labels());
		}

		@Override
		public String toString() {
			return "endpoints" + this.selector;
		}

	}

	/**
	 * CIDR identities inside a prefix and outside its exceptions ({@code fromCIDR},
	 * {@code fromCIDRSet}, NP {@code ipBlock}). A {@code /0} prefix also selects the
	 * world identity of its family, as upstream maps {@code 0.0.0.0/0} and {@code ::/0}
	 * to world.
	 *
	 * @param cidr the prefix
	 * @param except prefixes inside it that are not selected
	 */
	record CidrBlock(Cidr cidr, List<Cidr> except) implements Peer {

		public CidrBlock {
			except = List.copyOf(except);
			for (Cidr cut : except) {
				if (!cidr.contains(cut)) {
					throw new IllegalArgumentException("except " + cut + " is not inside " + cidr);
				}
			}
		}

		@Override
		public boolean selects(Identity identity) {
			if (identity.cidr() == null) {
				// World stands for addresses no known prefix covers; every except prefix
				// has its
				// own CIDR identity, so world is outside the exceptions of a /0.
				if (this.cidr.prefixLength() != 0) {
					return false;
				}
				return identity.id() == ReservedIdentity.WORLD.id() || identity
					.id() == (this.cidr.isIpv4() ? ReservedIdentity.WORLD_IPV4.id() : ReservedIdentity.WORLD_IPV6.id());
			}
			if (!this.cidr.contains(identity.cidr())) {
				return false;
			}
			return this.except.stream().noneMatch((cut) -> cut.contains(identity.cidr()));
		}

		@Override
		public String toString() {
			return "cidr:" + this.cidr + (this.except.isEmpty() ? ""
					: " except " + this.except.stream().map(Cidr::toString).collect(Collectors.joining(",")));
		}

	}

	/**
	 * An entity ({@code fromEntities}).
	 *
	 * @param entity the entity
	 * @param clusterName the local cluster's name, for {@code cluster}
	 */
	record EntityPeer(Entity entity, String clusterName) implements Peer {

		@Override
		public boolean selects(Identity identity) {
			return switch (this.entity) {
				case ALL -> true;
				case HOST -> identity.has(ReservedIdentity.HOST);
				case REMOTE_NODE -> identity.has(ReservedIdentity.REMOTE_NODE);
				case KUBE_APISERVER -> identity.has(ReservedIdentity.KUBE_APISERVER);
				case INGRESS -> identity.has(ReservedIdentity.INGRESS);
				case INIT -> identity.has(ReservedIdentity.INIT);
				case HEALTH -> identity.has(ReservedIdentity.HEALTH);
				case UNMANAGED -> identity.has(ReservedIdentity.UNMANAGED);
				case WORLD -> identity.has(ReservedIdentity.WORLD) || identity.has(ReservedIdentity.WORLD_IPV4)
						|| identity.has(ReservedIdentity.WORLD_IPV6);
				case WORLD_IPV4 ->
					identity.has(ReservedIdentity.WORLD_IPV4) || (identity.cidr() != null && identity.cidr().isIpv4());
				case WORLD_IPV6 ->
					identity.has(ReservedIdentity.WORLD_IPV6) || (identity.cidr() != null && !identity.cidr().isIpv4());
				case CLUSTER -> inCluster(identity);
			};
		}

		// Upstream's cluster entity: the reserved identities of the cluster plus every
		// pod
		// labelled with the local cluster's name.
		private boolean inCluster(Identity identity) {
			if (identity.has(ReservedIdentity.HOST) || identity.has(ReservedIdentity.REMOTE_NODE)
					|| identity.has(ReservedIdentity.INIT) || identity.has(ReservedIdentity.HEALTH)
					|| identity.has(ReservedIdentity.UNMANAGED) || identity.has(ReservedIdentity.KUBE_APISERVER)
					|| identity.has(ReservedIdentity.INGRESS)) {
				return true;
			}
			return identity.labels()
				.get(PodLabels.CLUSTER_LABEL)
				.map((label) -> label.value().equals(this.clusterName))
				.orElse(false);
		}

		@Override
		public String toString() {
			return "entity:" + this.entity.text();
		}

	}

}
