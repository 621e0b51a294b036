package io.jcilium.agent.datapath.libbpf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import jnr.ffi.Pointer;

/**
 * Reads struct layouts and global-variable offsets from an object's BTF, so Java codecs
 * and load-time settings follow the compiled C instead of hand-copied numbers.
 * <p>
 * Raw layout (include/uapi/linux/btf.h): {@code struct btf_type} is 12 bytes (name_off,
 * info, size/type) followed by vlen 12-byte records: {@code btf_member} (name_off, type,
 * offset) for structs, {@code btf_var_secinfo} (type, offset, size) for data sections.
 */
public final class Btf {

	static final int KIND_STRUCT = 4;

	static final int KIND_VAR = 14;

	static final int KIND_DATASEC = 15;

	private static final int TYPE_HEADER_BYTES = 12;

	private static final int RECORD_BYTES = 12;

	private final LibBpfBindings lib;

	private final Pointer btf;

	// Keeps the owning object reachable: the BTF is freed with it.
	private final BpfObject owner;

	Btf(LibBpfBindings lib, Pointer btf, BpfObject owner) {
		this.lib = lib;
		this.btf = btf;
		this.owner = owner;
	}

	/**
	 * The layout of a struct as the compiler laid it out.
	 * @param name the struct tag (without {@code struct})
	 * @return the layout, empty if the BTF has no such struct
	 */
	public Optional<StructLayout> struct(String name) {
		this.owner.pointer();
		int id = this.lib.btf__find_by_name_kind(this.btf, name, KIND_STRUCT);
		if (id <= 0) {
			return Optional.empty();
		}
		Pointer type = typeById(id);
		int info = type.getInt(4);
		int vlen = info & 0xffff;
		boolean kindFlag = (info >>> 31) != 0;
		List<Member> members = new ArrayList<>(vlen);
		for (int i = 0; i < vlen; i++) {
			long base = TYPE_HEADER_BYTES + (long) i * RECORD_BYTES;
			String memberName = this.lib.btf__name_by_offset(this.btf, type.getInt(base));
			int memberType = type.getInt(base + 4);
			int offset = type.getInt(base + 8);
			int bitOffset = kindFlag ? (offset & 0xffffff) : offset;
			int bitfieldSize = kindFlag ? (offset >>> 24) : 0;
			long size = this.lib.btf__resolve_size(this.btf, memberType);
			members.add(new Member(memberName, bitOffset / 8, (int) size, bitfieldSize));
		}
		return Optional.of(new StructLayout(name, type.getInt(8), List.copyOf(members)));
	}

	/**
	 * Offset of a global variable inside its data section.
	 * @param section e.g. ".rodata"
	 * @param variable the C variable name
	 * @return the byte offset, empty if not found
	 */
	public OptionalInt variableOffset(String section, String variable) {
		this.owner.pointer();
		int id = this.lib.btf__find_by_name_kind(this.btf, section, KIND_DATASEC);
		if (id <= 0) {
			return OptionalInt.empty();
		}
		Pointer type = typeById(id);
		int vlen = type.getInt(4) & 0xffff;
		for (int i = 0; i < vlen; i++) {
			long base = TYPE_HEADER_BYTES + (long) i * RECORD_BYTES;
			Pointer variableType = typeById(type.getInt(base));
			String name = this.lib.btf__name_by_offset(this.btf, variableType.getInt(0));
			if (variable.equals(name)) {
				return OptionalInt.of(type.getInt(base + 4));
			}
		}
		return OptionalInt.empty();
	}

	private Pointer typeById(int id) {
		Pointer type = this.lib.btf__type_by_id(this.btf, id);
		if (type == null || type.address() == 0) {
			throw new LibBpfException("BTF type id " + id + " not found");
		}
		return type;
	}

	/**
	 * A struct's size and members in declaration order.
	 *
	 * @param name the struct tag
	 * @param sizeBytes sizeof
	 * @param members the members
	 */
	public record StructLayout(String name, int sizeBytes, List<Member> members) {

	}

	/**
	 * One struct member.
	 *
	 * @param name member name
	 * @param offsetBytes offsetof
	 * @param sizeBytes sizeof the member's type
	 * @param bitfieldBits bitfield width, 0 if not a bitfield
	 */
	public record Member(String name, int offsetBytes, int sizeBytes, int bitfieldBits) {

	}

}
