package io.npid.deploy.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker key pair and a client trust store made with the JDK's {@code keytool}, for a test's SASL_SSL listener.
 *
 * @param keyStore the broker's PKCS12 key store (self-signed certificate for 127.0.0.1 and localhost)
 * @param trustStore the clients' PKCS12 trust store holding that certificate
 * @param password the password of both stores
 */
record TestTls(Path keyStore, Path trustStore, String password) {

    /**
     * Generates the stores.
     *
     * @param dir where they go
     * @param password their password
     * @return the stores
     * @throws IOException when keytool fails
     */
    static TestTls generate(final Path dir, final String password) throws IOException, InterruptedException {
        final Path keyStore = dir.resolve("broker.p12");
        final Path trustStore = dir.resolve("truststore.p12");
        final Path certificate = dir.resolve("broker.crt");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                password,
                "-keypass",
                password);
        keytool(
                "-exportcert",
                "-alias",
                "broker",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                password,
                "-rfc",
                "-file",
                certificate.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                certificate.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                password);
        return new TestTls(keyStore, trustStore, password);
    }

    private static void keytool(final String... args) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
