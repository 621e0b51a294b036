package io.jcilium.agent.cni;

import io.jcilium.testsupport.Prerequisites;

/**
 * Skips a test that needs root and tools, except in CI, where a missing prerequisite
 * fails the test instead of hiding it ({@link Prerequisites}).
 */
final class Privileges {

	private Privileges() {
	}

	static void requireRootAnd(String... tools) {
		Prerequisites.requireRootAnd(tools);
	}

}
