package dev.docksmith.runtime.docker.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM private keys with JDK classes only. The JDK's {@link KeyFactory} takes PKCS#8 alone, but
 * {@code docker-machine} and older {@code openssl genrsa} write PKCS#1 ({@code RSA PRIVATE KEY}) and
 * {@code openssl ecparam} writes SEC1 ({@code EC PRIVATE KEY}); both are wrapped into a PKCS#8
 * structure here with a few lines of DER rather than pulling in Bouncy Castle.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    /** DER of OID 1.2.840.113549.1.1.1 (rsaEncryption). */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** DER of OID 1.2.840.10045.2.1 (id-ecPublicKey). */
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};

    private PemKeys() {
    }

    /** One PEM block: its label ("CERTIFICATE", "PRIVATE KEY", ...) and decoded bytes. */
    record Block(String label, byte[] der) {
    }

    /** Every PEM block in the text, in order. */
    static List<Block> blocks(String pem) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String body = m.group(2).replaceAll("\\s", "");
            // Encrypted legacy keys carry "Proc-Type:" headers, which contain ':' and fail here clearly.
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.getBytes(StandardCharsets.US_ASCII))));
        }
        return out;
    }

    /** The first private key in the PEM text: PKCS#8 (RSA or EC), PKCS#1 RSA or SEC1 EC. */
    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        for (Block block : blocks(pem)) {
            switch (block.label()) {
                case "PRIVATE KEY":
                    return pkcs8(block.der());
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                            wrap(concat(RSA_OID, DER_NULL), block.der())));
                case "EC PRIVATE KEY":
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                            wrap(concat(EC_OID, curveOf(block.der())), block.der())));
                case "ENCRYPTED PRIVATE KEY":
                    throw new GeneralSecurityException("encrypted private keys are not supported; decrypt it first");
                default:
                    // e.g. "EC PARAMETERS" written before the key by openssl ecparam; skip it
            }
        }
        throw new GeneralSecurityException("no private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) found");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("PKCS#8 key is neither RSA nor EC", last);
    }

    /**
     * PKCS#8 needs the curve in its AlgorithmIdentifier; SEC1 keeps it in the optional {@code [0]}
     * field of {@code ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters, [1] publicKey }}.
     */
    private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
        DerReader seq = new DerReader(sec1).enterSequence();
        seq.skip(); // version
        seq.skip(); // privateKey
        while (seq.hasMore()) {
            int tag = seq.peekTag();
            byte[] element = seq.next();
            if (tag == 0xa0) {
                return new DerReader(element).contentOf(); // the OID inside [0]
            }
        }
        throw new GeneralSecurityException("EC PRIVATE KEY without the named curve parameter is not supported");
    }

    /** {@code PrivateKeyInfo ::= SEQUENCE { INTEGER 0, SEQUENCE { algorithm }, OCTET STRING key }}. */
    private static byte[] wrap(byte[] algorithmContent, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, tlv(0x30, algorithmContent), tlv(0x04, key)));
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(len >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Just enough DER reading to walk one SEQUENCE. */
    private static final class DerReader {
        private final byte[] data;
        private final int end;
        private int pos;

        DerReader(byte[] data) {
            this(data, 0, data.length);
        }

        private DerReader(byte[] data, int pos, int end) {
            this.data = data;
            this.pos = pos;
            this.end = end;
        }

        /** Where an element's content starts and how long it is. */
        private record Header(int contentStart, int length) {
        }

        boolean hasMore() {
            return pos < end;
        }

        int peekTag() {
            return data[pos] & 0xff;
        }

        /** The whole next element (tag, length and content). */
        byte[] next() throws GeneralSecurityException {
            int start = pos;
            Header h = header();
            pos = h.contentStart() + h.length();
            return Arrays.copyOfRange(data, start, pos);
        }

        void skip() throws GeneralSecurityException {
            next();
        }

        /** The content of the element at the current position. */
        byte[] contentOf() throws GeneralSecurityException {
            Header h = header();
            return Arrays.copyOfRange(data, h.contentStart(), h.contentStart() + h.length());
        }

        DerReader enterSequence() throws GeneralSecurityException {
            if (!hasMore() || peekTag() != 0x30) {
                throw new GeneralSecurityException("malformed key: expected a DER SEQUENCE");
            }
            Header h = header();
            return new DerReader(data, h.contentStart(), h.contentStart() + h.length());
        }

        private Header header() throws GeneralSecurityException {
            int p = pos + 1;
            if (p >= end) {
                throw new GeneralSecurityException("malformed key: truncated DER");
            }
            int first = data[p++] & 0xff;
            int len;
            if (first < 0x80) {
                len = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 3 || p + count > end) {
                    throw new GeneralSecurityException("malformed key: bad DER length");
                }
                len = 0;
                for (int i = 0; i < count; i++) {
                    len = (len << 8) | (data[p++] & 0xff);
                }
            }
            if (p + len > end) {
                throw new GeneralSecurityException("malformed key: DER length beyond the data");
            }
            return new Header(p, len);
        }
    }
}
