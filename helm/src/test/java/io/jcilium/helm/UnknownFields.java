package io.jcilium.helm;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds fields a typed Kubernetes object did not recognise. fabric8's model classes keep
 * unknown YAML keys in {@code additionalProperties} instead of failing, which is exactly
 * what hides a misspelled or misplaced field in a template; the API server would drop or
 * reject it.
 */
final class UnknownFields {

	private UnknownFields() {
	}

	static List<String> in(Object model) {
		List<String> found = new ArrayList<>();
		walk(model, "", found);
		return found;
	}

	private static void walk(Object value, String path, List<String> found) {
		if (value instanceof Collection<?> elements) {
			int index = 0;
			for (Object element : elements) {
				walk(element, path + "[" + index++ + "]", found);
			}
			return;
		}
		if (value instanceof Map<?, ?> entries) {
			entries.forEach((key, element) -> walk(element, path + "[" + key + "]", found));
			return;
		}
		if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
			return;
		}
		for (Method getter : value.getClass().getMethods()) {
			if (!isGetter(getter)) {
				continue;
			}
			Object child = invoke(getter, value);
			if (getter.getName().equals("getAdditionalProperties")) {
				if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
					found.add(path + " " + extra.keySet());
				}
			}
			else {
				walk(child, path + "." + property(getter), found);
			}
		}
	}

	private static boolean isGetter(Method method) {
		return method.getName().startsWith("get") && method.getParameterCount() == 0
				&& !Modifier.isStatic(method.getModifiers()) && method.getDeclaringClass() != Object.class;
	}

	private static String property(Method getter) {
		String name = getter.getName().substring(3);
		return Character.toLowerCase(name.charAt(0)) + name.substring(1);
	}

	private static Object invoke(Method getter, Object target) {
		try {
			return getter.invoke(target);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot read " + getter + " of " + target.getClass(), ex);
		}
	}

}
