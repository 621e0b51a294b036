package io.jcilium.agent.service;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbMaps;

/**
 * Stands in while the datapath is off: services are translated and tracked, nothing
 * reaches a kernel.
 */
final class NoLbMaps implements LbMaps {

	@Override
	public void putBackend(int id, L4Address backend) {
	}

	@Override
	public void deleteBackend(int id) {
	}

	@Override
	public void putReverseNat(int index, L4Address frontend) {
	}

	@Override
	public void deleteReverseNat(int index) {
	}

	@Override
	public void putMaster(FrontendKey key, Master master) {
	}

	@Override
	public void putSlot(FrontendKey key, int slot, int backendId) {
	}

	@Override
	public void deleteSlot(FrontendKey key, int slot) {
	}

	@Override
	public void putAffinityMatch(int backendId, int reverseNat) {
	}

	@Override
	public void deleteAffinityMatch(int backendId, int reverseNat) {
	}

	@Override
	public void putMaglevTable(int reverseNat, int[] backendIds) {
	}

	@Override
	public void deleteMaglevTable(int reverseNat) {
	}

	@Override
	public Contents contents() {
		return Contents.EMPTY;
	}

	@Override
	public Capacity capacity() {
		return new Capacity(Integer.MAX_VALUE, Integer.MAX_VALUE, 0xffff);
	}

}
