package org.mpft.sshd;

import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginRepository;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginRepository;

/**
 * A PF4J plugin manager that knows jar plugins only, described by their manifest ({@code Plugin-Id},
 * {@code Plugin-Class}, {@code Plugin-Version}), so that the {@code plugin.properties} lying in the same
 * folder is never taken for a plugin or a plugin descriptor.
 */
final class JarPluginManager extends DefaultPluginManager {

    JarPluginManager(Path pluginsDir) {
        super(pluginsDir);
    }

    @Override
    protected PluginRepository createPluginRepository() {
        return new JarPluginRepository(getPluginsRoots());
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new ManifestPluginDescriptorFinder();
    }
}
