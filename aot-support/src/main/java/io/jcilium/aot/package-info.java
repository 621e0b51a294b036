/**
 * A service's Spring AOT mode kept honest: the start-up the build processed ahead of time
 * is used only where the configuration matches the one it was processed with. A service
 * that depends on this module and runs Spring Boot's {@code process-aot} goal records
 * what its processing saw, and checks it at every start that asks for the processed
 * start-up.
 */
package io.jcilium.aot;
