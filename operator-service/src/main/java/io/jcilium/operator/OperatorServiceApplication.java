package io.jcilium.operator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the operator-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OperatorServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(OperatorServiceApplication.class, args);
	}

}
