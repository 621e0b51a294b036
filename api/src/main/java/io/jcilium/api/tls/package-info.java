/**
 * mTLS between the services from Spring SSL bundles: channel credentials, the server's
 * requirement of client certificates, and key and trust managers that follow certificate
 * rotations without a restart.
 */
package io.jcilium.api.tls;
