package io.jcilium.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The umbrella chart rendered by the real Helm engine (helm-java's native library), as
 * plain YAML maps, so that tests read objects the way the API server would receive them.
 */
final class RenderedChart {

	/** The chart under test, relative to the module directory Surefire runs in. */
	static final Path CHART = Path.of("jcilium");

	static final String RELEASE = "jcilium";

	static final String NAMESPACE = "kube-system";

	private static final String NO_LOOKUP = "redis.auth.keepPasswordOnUpgrade";

	private static final String NO_TLS_LOOKUP = "global.tls.auto.keepOnUpgrade";

	private final List<Map<String, Object>> objects;

	private RenderedChart(List<Map<String, Object>> objects) {
		this.objects = objects;
	}

	static RenderedChart render(Map<String, Object> values) {
		return parse(renderText(values));
	}

	/** The manifests as Helm writes them, comments included. */
	static String renderText(Map<String, Object> values) {
		TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
		// Unlike the helm binary's template, helm-java's dials an API server for lookup
		// (which keeps the generated Redis password on upgrade); there is none here.
		if (!values.containsKey(NO_LOOKUP)) {
			template.set(NO_LOOKUP, false);
		}
		if (!values.containsKey(NO_TLS_LOOKUP)) {
			template.set(NO_TLS_LOOKUP, false);
		}
		values.forEach(template::set);
		return template.call();
	}

	static RenderedChart renderDefaults() {
		return render(Map.of());
	}

	@SuppressWarnings("unchecked")
	static RenderedChart parse(String manifests) {
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml(new LoaderOptions()).loadAll(manifests)) {
			if (document != null) {
				objects.add((Map<String, Object>) document);
			}
		}
		return new RenderedChart(objects);
	}

	List<Map<String, Object>> all() {
		return this.objects;
	}

	List<Map<String, Object>> ofKind(String kind) {
		return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
	}

	Set<String> names(String kind) {
		return ofKind(kind).stream().map(RenderedChart::name).collect(Collectors.toCollection(TreeSet::new));
	}

	Map<String, Object> get(String kind, String name) {
		return ofKind(kind).stream()
			.filter((object) -> name.equals(name(object)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + names(kind)));
	}

	/** Objects whose app.kubernetes.io/name label is the given service (subchart). */
	List<Map<String, Object>> ofService(String service) {
		return this.objects.stream()
			.filter((object) -> service.equals(labels(object).get("app.kubernetes.io/name")))
			.toList();
	}

	static String name(Map<String, Object> object) {
		return (String) YamlPath.map(object, "metadata").get("name");
	}

	static Map<String, Object> labels(Map<String, Object> object) {
		Map<String, Object> labels = YamlPath.map(YamlPath.map(object, "metadata"), "labels");
		return Objects.requireNonNullElse(labels, Map.of());
	}

}
