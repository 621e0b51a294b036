package io.jcilium.api.crd.v2;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Peers from an external provider's groups ({@code fromGroups}/{@code toGroups}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PeerGroups {

	public AwsGroup aws;

	/** AWS security groups by id, name or labels, in a region. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public static class AwsGroup {

		public Map<String, String> labels;

		public List<String> securityGroupsIds;

		public List<String> securityGroupsNames;

		public String region;

	}

}
