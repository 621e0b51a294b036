/**
 * Model classes of the {@code cilium.io} custom resources, with upstream's group,
 * versions, kinds and JSON field names, so existing manifests apply unchanged. The build
 * generates the CRD YAML (OpenAPI schemas) from these classes.
 * <p>
 * Wire model: public fields mirror upstream's JSON one to one (that is the contract);
 * nulls are left out when writing.
 */
package io.jcilium.api.crd;
