package io.jcilium.api.tls;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says in one line what a service started with mTLS on and without its certificates is
 * missing, instead of a stack trace.
 */
class MutualTlsFailureAnalyzer extends AbstractFailureAnalyzer<MutualTlsSettingsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MutualTlsSettingsException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Configure the certificates named above (the Helm chart does), or start with "
						+ "jcilium.tls.enabled=false for plaintext (development only).",
				cause);
	}

}
