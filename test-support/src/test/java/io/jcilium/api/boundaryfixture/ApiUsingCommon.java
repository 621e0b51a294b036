package io.jcilium.api.boundaryfixture;

import io.jcilium.common.boundaryfixture.CommonReadingFiles;

/** Test fixture: an api class that depends on common. */
public final class ApiUsingCommon {

	public Class<?> implementation() {
		return CommonReadingFiles.class;
	}

}
