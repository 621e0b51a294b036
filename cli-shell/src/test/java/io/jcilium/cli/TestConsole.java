package io.jcilium.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the console in-process, as {@code main()} does, for tests in other packages.
 */
public final class TestConsole {

	/**
	 * The development setting for plaintext gRPC. mTLS is the console's default; the
	 * commands' tests call fake services listening without TLS, so they say so, as the
	 * scripts do ({@code JCILIUM_TLS_ENABLED=false}).
	 */
	public static final String PLAINTEXT = "--jcilium.tls.enabled=false";

	private TestConsole() {
	}

	public static int run(String... args) {
		return CliShellApplication.run(args);
	}

	/** Runs the console with plaintext gRPC ({@link #PLAINTEXT}) before the arguments. */
	public static int runPlaintext(String... args) {
		List<String> all = new ArrayList<>(List.of(PLAINTEXT));
		all.addAll(List.of(args));
		return CliShellApplication.run(all.toArray(String[]::new));
	}

}
