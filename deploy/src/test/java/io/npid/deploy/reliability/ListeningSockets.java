package io.npid.deploy.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, read from Linux's {@code /proc} (the sockets of {@code /proc/net/tcp} and
 * {@code tcp6} in state LISTEN whose inode is one of {@code /proc/self/fd}).
 */
final class ListeningSockets {
    private static final String LISTEN = "0A";

    /**
     * One listening socket.
     *
     * @param address the bound address as text: {@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::1}, {@code ::} ...
     * @param port the port
     */
    record Socket(String address, int port) {
        /** @return whether only this machine can connect */
        boolean loopback() {
            return address.startsWith("127.") || address.equals("::1") || address.startsWith("::ffff:127.");
        }
    }

    private ListeningSockets() {}

    /** @return whether this platform has the files read here */
    static boolean supported() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** @return every socket this process listens on */
    static List<Socket> ofThisProcess() {
        final Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    final String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor closed meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final List<Socket> out = new ArrayList<>();
        for (final String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            final List<String> lines;
            try {
                lines = Files.exists(Path.of(table)) ? Files.readAllLines(Path.of(table)) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (final String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                final String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    final String[] local = f[1].split(":");
                    out.add(new Socket(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }

    /** Decodes /proc's hex address: four bytes little-endian per 32-bit word. */
    static String address(final String hex) {
        final byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < hex.length() / 8; word++) {
            for (int b = 0; b < 4; b++) {
                final int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= bytes[i] == 0;
        }
        if (zeroPrefix && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
            return "::ffff:" + (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "."
                    + (bytes[15] & 0xff);
        }
        try {
            final String text = java.net.InetAddress.getByAddress(bytes).getHostAddress();
            return text.equals("0:0:0:0:0:0:0:1") ? "::1" : text.equals("0:0:0:0:0:0:0:0") ? "::" : text;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
