/**
 * The Spring-free domain core shared by every service.
 */
package io.jcilium.common;
