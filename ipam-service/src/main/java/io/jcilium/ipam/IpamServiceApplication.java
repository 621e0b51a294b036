package io.jcilium.ipam;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the ipam-service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IpamServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(IpamServiceApplication.class, args);
	}

}
