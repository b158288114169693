/**
 * Fault injection for end-to-end tests, and the only test seam in the plugin: {@link org.mpft.plugin.testhooks.TestHooks}
 * corrupts or stalls chunks when the host JVM is started with {@code -Dmpft.test.*} system properties, and
 * logs {@code TEST HOOKS ACTIVE} when it does. Without those properties every hook is inert.
 */
package org.mpft.plugin.testhooks;
