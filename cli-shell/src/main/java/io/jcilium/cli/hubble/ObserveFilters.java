package io.jcilium.cli.hubble;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jcilium.api.hubble.flow.DropReason;
import io.jcilium.api.hubble.flow.FlowFilter;
import io.jcilium.api.hubble.flow.Verdict;
import io.jcilium.api.hubble.observer.GetFlowsRequest;

/**
 * {@code hubble observe}'s filter flags as upstream's CLI turns them into whitelist
 * filters: flags about either side ({@code --pod}, {@code --namespace}, {@code --label},
 * {@code --port}, {@code --identity}) make two filters, one with the value as source and
 * one as destination; every other flag applies to both. Flags taking several values take
 * them comma-separated (but {@code --label}, whose selector has commas of its own).
 */
final class ObserveFilters {

	private final FlowFilter.Builder left = FlowFilter.newBuilder();

	private final FlowFilter.Builder right = FlowFilter.newBuilder();

	private boolean eitherSide;

	private boolean any;

	ObserveFilters pod(String pods) {
		for (String pod : values(pods)) {
			either();
			this.left.addSourcePod(pod);
			this.right.addDestinationPod(pod);
		}
		return this;
	}

	ObserveFilters namespace(String namespaces) {
		for (String namespace : values(namespaces)) {
			if (namespace.contains("/")) {
				throw new IllegalArgumentException("--namespace '" + namespace + "' is not a namespace name");
			}
			either();
			this.left.addSourcePod(namespace + "/");
			this.right.addDestinationPod(namespace + "/");
		}
		return this;
	}

	ObserveFilters label(String selector) {
		if (selector != null && !selector.isBlank()) {
			either();
			this.left.addSourceLabel(selector.strip());
			this.right.addDestinationLabel(selector.strip());
		}
		return this;
	}

	ObserveFilters port(String ports) {
		for (String port : values(ports)) {
			number("--port", port, 65535);
			either();
			this.left.addSourcePort(port);
			this.right.addDestinationPort(port);
		}
		return this;
	}

	ObserveFilters identity(String identities) {
		for (String identity : values(identities)) {
			int id = (int) number("--identity", identity, 0xFFFFFFFFL);
			either();
			this.left.addSourceIdentity(id);
			this.right.addDestinationIdentity(id);
		}
		return this;
	}

	ObserveFilters fromPod(String pods) {
		for (String pod : values(pods)) {
			both().left.addSourcePod(pod);
			this.right.addSourcePod(pod);
		}
		return this;
	}

	ObserveFilters toPod(String pods) {
		for (String pod : values(pods)) {
			both().left.addDestinationPod(pod);
			this.right.addDestinationPod(pod);
		}
		return this;
	}

	ObserveFilters verdict(String verdicts) {
		for (String text : values(verdicts)) {
			Verdict verdict = named(Verdict.class, "--verdict", text);
			both().left.addVerdict(verdict);
			this.right.addVerdict(verdict);
		}
		return this;
	}

	ObserveFilters protocol(String protocols) {
		for (String protocol : values(protocols)) {
			both().left.addProtocol(protocol.toLowerCase(Locale.ROOT));
			this.right.addProtocol(protocol.toLowerCase(Locale.ROOT));
		}
		return this;
	}

	ObserveFilters dropReason(String reasons) {
		for (String text : values(reasons)) {
			DropReason reason = named(DropReason.class, "--drop-reason", text);
			both().left.addDropReasonDesc(reason);
			this.right.addDropReasonDesc(reason);
		}
		return this;
	}

	void addTo(GetFlowsRequest.Builder request) {
		if (!this.any) {
			return;
		}
		request.addWhitelist(this.left);
		if (this.eitherSide) {
			request.addWhitelist(this.right);
		}
	}

	private void either() {
		this.eitherSide = true;
		this.any = true;
	}

	private ObserveFilters both() {
		this.any = true;
		return this;
	}

	private static List<String> values(String text) {
		List<String> values = new ArrayList<>();
		if (text != null) {
			for (String value : text.split(",")) {
				if (!value.isBlank()) {
					values.add(value.strip());
				}
			}
		}
		return values;
	}

	private static long number(String flag, String text, long max) {
		try {
			long value = Long.parseLong(text);
			if (value >= 0 && value <= max) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException(flag + " '" + text + "' is not a number from 0 to " + max);
	}

	private static <E extends Enum<E>> E named(Class<E> type, String flag, String text) {
		String name = text.toUpperCase(Locale.ROOT).replace('-', '_');
		for (E value : type.getEnumConstants()) {
			if (value.name().equals(name) && !name.endsWith("UNKNOWN") && !name.equals("UNRECOGNIZED")) {
				return value;
			}
		}
		List<String> known = new ArrayList<>();
		for (E value : type.getEnumConstants()) {
			if (!value.name().endsWith("UNKNOWN") && !value.name().equals("UNRECOGNIZED")) {
				known.add(value.name());
			}
		}
		throw new IllegalArgumentException(flag + " '" + text + "' is not one of " + String.join(", ", known));
	}

}
