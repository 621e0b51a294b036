package io.jcilium.agent.service.translate;

import java.util.List;

import io.jcilium.agent.service.lb.LbFrontend;

/**
 * A service's frontends, and what in its objects could not be used.
 *
 * @param frontends what to program
 * @param problems one message per skipped element, saying what was wrong
 */
public record Translation(List<LbFrontend> frontends, List<String> problems) {

	public Translation {
		frontends = List.copyOf(frontends);
		problems = List.copyOf(problems);
	}

}
