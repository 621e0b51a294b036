package io.jcilium.cli;

/**
 * Process exit codes of a one-shot console command, in the usual Unix sense, so scripts
 * and CI can tell "the cluster is unhealthy" from "I typed it wrong".
 */
public final class ExitCodes {

	/** The command ran and found nothing wrong. */
	public static final int OK = 0;

	/** The command ran and failed, or found something wrong (e.g. a service DOWN). */
	public static final int FAILURE = 1;

	/** The command line itself was wrong: unknown command or option, bad value. */
	public static final int USAGE = 2;

	private ExitCodes() {
	}

}
