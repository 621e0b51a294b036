package io.jcilium.ipam.lbipam;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one LB-IPAM pass: the addresses to write to each service's status, and
 * the conditions for services and pools.
 *
 * @param ips addresses per service key
 * @param serviceConditions the request condition per service key
 * @param poolConditions conditions per pool name (only pools with a problem)
 */
public record LbAssignment(Map<String, List<String>> ips, Map<String, LbCondition> serviceConditions,
		Map<String, LbCondition> poolConditions) {

}
