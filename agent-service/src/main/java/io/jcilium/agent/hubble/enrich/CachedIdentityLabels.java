package io.jcilium.agent.hubble.enrich;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

import io.jcilium.common.label.Label;
import io.jcilium.common.label.Labels;

/**
 * Identity labels as flows show them, rendered once per identity rather than once per
 * flow: rendering (one string per label, sorted) cost more than the rest of enrichment.
 * The identity source stays the truth: a rendering is reused only while the source still
 * returns the very same labels, so an identity number released and reallocated to other
 * labels shows the new ones.
 */
public final class CachedIdentityLabels implements IdentityLabels {

	private final LongFunction<Optional<Labels>> source;

	private final Map<Long, Rendered> rendered = new ConcurrentHashMap<>();

	/**
	 * @param source the labels of an identity, empty when unknown
	 */
	public CachedIdentityLabels(LongFunction<Optional<Labels>> source) {
		this.source = source;
	}

	@Override
	public List<String> labelsOf(long identity) {
		Optional<Labels> labels = this.source.apply(identity);
		if (labels.isEmpty()) {
			this.rendered.remove(identity);
			return List.of();
		}
		Rendered cached = this.rendered.get(identity);
		if (cached != null && (cached.labels == labels.get() || cached.labels.equals(labels.get()))) {
			return cached.texts;
		}
		Rendered fresh = new Rendered(labels.get(),
				labels.get().toList().stream().map(Label::toString).sorted().toList());
		this.rendered.put(identity, fresh);
		return fresh.texts;
	}

	private record Rendered(Labels labels, List<String> texts) {
	}

}
