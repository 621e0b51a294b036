/**
 * Identity garbage collection on the leader: identities no CiliumEndpoint has used for
 * two passes are released in identity-service, which then frees them.
 */
package io.jcilium.operator.identitygc;
