package io.jcilium.agent.datapath.libbpf;

/**
 * A BPF map's shape: what {@code bpf_map_create} needs and what a map-of-maps checks its
 * inner maps against.
 *
 * @param type the BPF_MAP_TYPE_* number
 * @param keySize key bytes
 * @param valueSize value bytes
 * @param maxEntries capacity
 * @param flags BPF_F_* map flags
 */
public record BpfMapDefinition(int type, int keySize, int valueSize, int maxEntries, int flags) {

}
