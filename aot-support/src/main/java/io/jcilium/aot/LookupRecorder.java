package io.jcilium.aot;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import org.springframework.core.env.PropertySource;

/**
 * A property source first in the environment during Spring AOT processing that answers
 * nothing and remembers every name it was asked: the properties the conditions read.
 */
final class LookupRecorder extends PropertySource<Set<String>> {

	/** Its name among the environment's property sources. */
	static final String NAME = "jciliumAotLookups";

	LookupRecorder() {
		super(NAME, new ConcurrentSkipListSet<>());
	}

	@Override
	public Object getProperty(String name) {
		getSource().add(name);
		return null;
	}

	/**
	 * @return the names asked so far
	 */
	Set<String> names() {
		return Set.copyOf(getSource());
	}

}
