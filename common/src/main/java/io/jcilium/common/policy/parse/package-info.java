/**
 * Parsing of policy YAML into the model, with errors that name the field path.
 */
package io.jcilium.common.policy.parse;
