package io.jcilium.cli;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of the admin console: interactive without arguments, one-shot with a
 * command.
 */
@SpringBootApplication
public class CliShellApplication {

	public static void main(String[] args) {
		SpringApplication.run(CliShellApplication.class, args);
	}

}
