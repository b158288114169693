package org.mpft.plugin;

import org.pf4j.Plugin;

/**
 * The mpft plugin as PF4J sees it (named by the jar manifest's {@code Plugin-Class}). It holds no
 * state: the host starts the {@link MpftChannel} extension with its context, and the channel owns every
 * resource.
 */
public final class MpftPlugin extends Plugin {

    /** Called by PF4J. */
    public MpftPlugin() {
        super();
    }
}
