package io.jcilium.agent.datapath.lb;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jcilium.agent.datapath.libbpf.BpfMap;
import io.jcilium.agent.datapath.libbpf.LibBpfException;
import io.jcilium.agent.datapath.maps.DatapathStructs.Layout;

import io.jcilium.agent.service.lb.FrontendKey;
import io.jcilium.agent.service.lb.L4Address;
import io.jcilium.agent.service.lb.LbMapFullException;
import io.jcilium.agent.service.lb.LbMaps;

/**
 * The LB maps of {@code bpf/lib/lb.h} in the kernel. A write the kernel refuses for lack
 * of room (E2BIG, ENOMEM) becomes an {@link LbMapFullException} naming the map.
 */
public final class BpfLbMaps implements LbMaps {

	private static final int E2BIG = 7;

	private static final int ENOMEM = 12;

	private final BpfMap services;

	private final BpfMap backends;

	private final BpfMap reverseNat;

	private final BpfMap affinityMatch;

	private final BpfMap maglev;

	/**
	 * LB maps without Maglev tables (no tc LB loaded): table writes are ignored.
	 * @param maps the maps of a loaded {@code bpf_sock.o} (or of any object sharing its
	 * pins)
	 */
	public BpfLbMaps(LbMapSet maps) {
		this(maps, null);
	}

	/**
	 * @param maps the maps of a loaded {@code bpf_sock.o} (or of any object sharing its
	 * pins)
	 * @param maglev {@code lb_maglev} of the tc LB, or null
	 */
	public BpfLbMaps(LbMapSet maps, BpfMap maglev) {
		this.maglev = maglev;
		this.services = require(maps.services(), LbStructs.KEY, LbStructs.SERVICE);
		this.backends = require(maps.backends(), 4, LbStructs.BACKEND.sizeBytes());
		this.reverseNat = require(maps.reverseNat(), 2, LbStructs.REVERSE_NAT.sizeBytes());
		this.affinityMatch = require(maps.affinityMatch(), LbStructs.AFFINITY_MATCH_KEY.sizeBytes(), 1);
	}

	@Override
	public void putBackend(int id, L4Address backend) {
		update(this.backends, LbStructs.u32(id), LbStructs.backend(backend));
	}

	@Override
	public void deleteBackend(int id) {
		this.backends.delete(LbStructs.u32(id));
	}

	@Override
	public void putReverseNat(int index, L4Address frontend) {
		update(this.reverseNat, LbStructs.u16(index), LbStructs.reverseNat(frontend));
	}

	@Override
	public void deleteReverseNat(int index) {
		this.reverseNat.delete(LbStructs.u16(index));
	}

	@Override
	public void putMaster(FrontendKey key, Master master) {
		update(this.services, LbStructs.key(key, 0), LbStructs.master(master));
	}

	@Override
	public void putSlot(FrontendKey key, int slot, int backendId) {
		update(this.services, LbStructs.key(key, slot), LbStructs.slot(backendId));
	}

	@Override
	public void deleteSlot(FrontendKey key, int slot) {
		this.services.delete(LbStructs.key(key, slot));
	}

	@Override
	public void putAffinityMatch(int backendId, int reverseNat) {
		update(this.affinityMatch, LbStructs.affinityMatch(backendId, reverseNat), new byte[1]);
	}

	@Override
	public void deleteAffinityMatch(int backendId, int reverseNat) {
		this.affinityMatch.delete(LbStructs.affinityMatch(backendId, reverseNat));
	}

	@Override
	public void putMaglevTable(int reverseNat, int[] backendIds) {
		if (this.maglev == null) {
			return;
		}
		if (backendIds.length * Integer.BYTES != this.maglev.valueSize()) {
			throw new IllegalArgumentException("a Maglev table of " + backendIds.length + " entries does not fit "
					+ this.maglev.name() + " (" + this.maglev.valueSize() / Integer.BYTES + " entries)");
		}
		ByteBuffer table = ByteBuffer.allocate(this.maglev.valueSize()).order(ByteOrder.nativeOrder());
		for (int id : backendIds) {
			table.putInt(id);
		}
		update(this.maglev, LbStructs.u32(reverseNat), table.array());
	}

	@Override
	public void deleteMaglevTable(int reverseNat) {
		if (this.maglev != null) {
			this.maglev.delete(LbStructs.u32(reverseNat));
		}
	}

	@Override
	public Capacity capacity() {
		return new Capacity(this.services.maxEntries(), this.backends.maxEntries(), this.reverseNat.maxEntries());
	}

	@Override
	public Contents contents() {
		Map<FrontendKey, Master> masters = new HashMap<>();
		Map<FrontendKey, Map<Integer, Integer>> slots = new HashMap<>();
		serviceEntries().forEach((key, value) -> {
			if (key.slot() == 0) {
				masters.put(key.frontend(), value.master());
			}
			else {
				slots.computeIfAbsent(key.frontend(), (k) -> new HashMap<>()).put(key.slot(), value.backendId());
			}
		});
		Map<Integer, InetSocketAddress> reverseNatEntries = new HashMap<>();
		for (byte[] key : this.reverseNat.keys()) {
			byte[] value = this.reverseNat.lookup(key);
			if (value != null) {
				reverseNatEntries.put(
						Short.toUnsignedInt(ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getShort(0)),
						LbStructs.decodeReverseNat(value));
			}
		}
		Set<List<Integer>> matches = new HashSet<>();
		for (byte[] key : this.affinityMatch.keys()) {
			ByteBuffer b = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder());
			matches.add(List.of(b.getInt(0), Short.toUnsignedInt(b.getShort(4))));
		}
		Set<Integer> tables = new HashSet<>();
		if (this.maglev != null) {
			for (byte[] key : this.maglev.keys()) {
				tables.add(ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt(0));
			}
		}
		return new Contents(masters, slots, backendEntries(), reverseNatEntries, matches, tables);
	}

	/**
	 * What the service map holds: every frontend's master and slots, decoded.
	 * @return slot key -> value
	 */
	public Map<LbStructs.SlotKey, LbStructs.ServiceValue> serviceEntries() {
		Map<LbStructs.SlotKey, LbStructs.ServiceValue> entries = new LinkedHashMap<>();
		for (byte[] key : this.services.keys()) {
			byte[] value = this.services.lookup(key);
			if (value != null) {
				entries.put(LbStructs.decodeKey(key), LbStructs.decodeService(value));
			}
		}
		return entries;
	}

	/**
	 * What the backend map holds.
	 * @return id -> backend
	 */
	public Map<Integer, L4Address> backendEntries() {
		Map<Integer, L4Address> entries = new LinkedHashMap<>();
		for (byte[] key : this.backends.keys()) {
			byte[] value = this.backends.lookup(key);
			if (value != null) {
				entries.put(ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt(0),
						LbStructs.decodeBackend(value));
			}
		}
		return entries;
	}

	/**
	 * Every frontend with the backends its slots point at, in slot order, as the datapath
	 * would see them ({@code bpf lb list}).
	 * @return frontend -> backends (empty for a master counting no slot)
	 */
	public Map<FrontendKey, List<L4Address>> frontends() {
		Map<LbStructs.SlotKey, LbStructs.ServiceValue> entries = serviceEntries();
		Map<Integer, L4Address> backendsById = backendEntries();
		Map<FrontendKey, List<L4Address>> frontends = new LinkedHashMap<>();
		entries.forEach((key, value) -> {
			if (key.slot() != 0) {
				return;
			}
			List<L4Address> slots = new ArrayList<>();
			for (int slot = 1; slot <= value.master().count(); slot++) {
				LbStructs.ServiceValue entry = entries.get(new LbStructs.SlotKey(key.frontend(), slot));
				slots.add((entry != null) ? backendsById.get(entry.backendId()) : null);
			}
			frontends.put(key.frontend(), slots);
		});
		return frontends;
	}

	private static void update(BpfMap map, byte[] key, byte[] value) {
		try {
			map.update(key, value, BpfMap.ANY);
		}
		catch (LibBpfException ex) {
			if (ex.errno() == E2BIG || ex.errno() == ENOMEM) {
				throw new LbMapFullException("map " + map.name() + " is full (" + map.maxEntries()
						+ " entries): raise its size in jcilium.service.* or remove services");
			}
			throw ex;
		}
	}

	private static BpfMap require(BpfMap map, Layout key, Layout value) {
		return require(map, key.sizeBytes(), value.sizeBytes());
	}

	private static BpfMap require(BpfMap map, int keySize, int valueSize) {
		if (map.keySize() != keySize || map.valueSize() != valueSize) {
			throw new IllegalArgumentException(
					"map " + map.name() + " has key/value " + map.keySize() + "/" + map.valueSize()
							+ " bytes, expected " + keySize + "/" + valueSize + " (an older agent's pin? delete it)");
		}
		return map;
	}

}
