package io.npid.deploy.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest, with the Java runtime it runs on. */
public final class NpidVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        final String version = NpidVersion.class.getPackage().getImplementationVersion();
        return new String[] {
            "npid " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
