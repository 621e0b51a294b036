package io.jcilium.cli;

/**
 * A command's own verdict that it failed (a service is down, an object does not exist),
 * after it has printed whatever it could. The console shows the message without a stack
 * trace; in one-shot mode the process exits with {@link ExitCodes#FAILURE}.
 */
public class CommandFailedException extends RuntimeException {

	public CommandFailedException(String message) {
		super(message);
	}

}
