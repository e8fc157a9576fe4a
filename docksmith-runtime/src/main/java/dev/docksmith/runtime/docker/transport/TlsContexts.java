package dev.docksmith.runtime.docker.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the mutual-TLS {@link SSLContext} the docker CLI would use for {@code DOCKER_CERT_PATH}:
 * trust only {@code ca.pem}, present {@code cert.pem} with {@code key.pem}. In-memory key stores keep
 * the PEM files as the single source of truth (no keystore file to convert and keep in sync).
 */
final class TlsContexts {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {
    }

    /** Reads the three PEM files; any problem is an {@link IllegalArgumentException} naming the file. */
    static SSLContext fromCertPath(Path certPath) {
        Path ca = certPath.resolve("ca.pem");
        Path cert = certPath.resolve("cert.pem");
        Path key = certPath.resolve("key.pem");
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(ca)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            PrivateKey privateKey;
            try {
                privateKey = PemKeys.privateKey(read(key));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot read TLS key " + key + ": " + e.getMessage(), e);
            }
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("client", privateKey, NO_PASSWORD, certificates(cert).toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, NO_PASSWORD);

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS from " + certPath + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>();
        for (PemKeys.Block block : PemKeys.blocks(read(file))) {
            if (block.label().equals("CERTIFICATE")) {
                out.add(factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + file);
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
    }
}
