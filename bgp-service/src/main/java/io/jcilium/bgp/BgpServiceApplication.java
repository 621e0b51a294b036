package io.jcilium.bgp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the bgp-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BgpServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(BgpServiceApplication.class, args);
	}

}
