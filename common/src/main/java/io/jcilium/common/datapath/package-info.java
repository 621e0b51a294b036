/**
 * What the datapath reports that more than the agent reads: drop reasons with upstream's
 * numbers and descriptions (the agent decodes them, the console prints them).
 */
package io.jcilium.common.datapath;
