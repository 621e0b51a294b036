/**
 * The ipcache feed: prefixes of other nodes and their pods, claimed per owner, merged and
 * written through {@link io.jcilium.agent.ipcache.IpcacheUpdates} (the datapath's ipcache
 * map when it is on).
 */
package io.jcilium.agent.ipcache;
