package io.jcilium.bgp.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * UPDATE (RFC 4271 section 4.3), as decoded: the withdrawn IPv4 prefixes, the path
 * attributes, the IPv4 NLRI, and the RFC 7606 problems met on the way.
 *
 * @param withdrawn the Withdrawn Routes field (IPv4)
 * @param attributes the path attributes
 * @param nlri the Network Layer Reachability Information field (IPv4)
 * @param problems malformed attributes handled without a session reset (RFC 7606)
 */
public record UpdateMessage(List<Prefix> withdrawn, PathAttributes attributes, List<Prefix> nlri,
		List<AttributeProblem> problems) implements BgpMessage {

	public UpdateMessage {
		withdrawn = List.copyOf(withdrawn);
		nlri = List.copyOf(nlri);
		problems = List.copyOf(problems);
	}

	/** An UPDATE as this speaker sends it (no problems). */
	public UpdateMessage(List<Prefix> withdrawn, PathAttributes attributes, List<Prefix> nlri) {
		this(withdrawn, attributes, nlri, List.of());
	}

	@Override
	public MessageType type() {
		return MessageType.UPDATE;
	}

	/**
	 * Whether RFC 7606's treat-as-withdraw applies: every prefix it carries is withdrawn.
	 */
	public boolean treatAsWithdraw() {
		return this.problems.stream().anyMatch((p) -> p.handling() == AttributeProblem.Handling.TREAT_AS_WITHDRAW);
	}

	/** The prefixes this UPDATE makes reachable, of every family. */
	public List<Prefix> reachable() {
		if (treatAsWithdraw()) {
			return List.of();
		}
		return announced();
	}

	/**
	 * The prefixes this UPDATE takes away, of every family, treat-as-withdraw included.
	 */
	public List<Prefix> unreachable() {
		List<Prefix> all = new ArrayList<>(this.withdrawn);
		if (this.attributes.mpUnreach() != null) {
			all.addAll(this.attributes.mpUnreach().withdrawn());
		}
		if (treatAsWithdraw()) {
			all.addAll(announced());
		}
		return all;
	}

	/**
	 * The family this UPDATE ends the initial exchange of, when it is an End-of-RIB
	 * marker (RFC 4724 section 2), else {@code null}.
	 */
	public AddressFamily endOfRib() {
		boolean noPrefixes = this.withdrawn.isEmpty() && this.nlri.isEmpty();
		PathAttributes a = this.attributes;
		if (!noPrefixes || a.origin() != null || a.asPath() != null || a.mpReach() != null) {
			return null;
		}
		if (a.mpUnreach() == null) {
			return AddressFamily.IPV4_UNICAST;
		}
		return a.mpUnreach().withdrawn().isEmpty() ? a.mpUnreach().family() : null;
	}

	private List<Prefix> announced() {
		List<Prefix> all = new ArrayList<>(this.nlri);
		if (this.attributes.mpReach() != null) {
			all.addAll(this.attributes.mpReach().nlri());
		}
		return all;
	}

}
