package io.jcilium.relay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the relay-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RelayServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(RelayServiceApplication.class, args);
	}

}
