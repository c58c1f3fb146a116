package com.integrationshub.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection, owned by one thread, doing as little client-side work per request as
 * possible (the JDK HttpClient costs the load generator ~20× more CPU per request on this machine). Answers with a
 * Content-Length body only, which is what the query service sends for these reads.
 */
final class PlainConnection implements AutoCloseable {

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    PlainConnection(String base) {
        URI uri = URI.create(base);
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    /** GET `path` with the bearer token; reconnects once when the kept-alive connection was closed. */
    HubCalls.Answer get(String path, String token) throws IOException {
        return send(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + token
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** PUT `path` with the bearer token and a JSON body; reconnects once when the connection was closed. */
    HubCalls.Answer put(String path, String token, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("PUT " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return send(request);
    }

    private HubCalls.Answer send(byte[] request) throws IOException {
        if (socket == null) connect();
        try {
            return exchange(request);
        } catch (IOException e) {
            close();
            connect();
            return exchange(request);
        }
    }

    private HubCalls.Answer exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12)
            throw new IOException("bad status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) continue;
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) length = Integer.parseInt(value);
            else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) close = true;
            else if (name.equalsIgnoreCase("transfer-encoding"))
                throw new IOException("chunked answers are not read here");
        }
        if (length < 0) throw new IOException("answer without content-length");
        byte[] body = in.readNBytes(length);
        if (body.length != length) throw new IOException("connection closed in the middle of an answer");
        long arrived = System.nanoTime();
        if (close) close();
        return new HubCalls.Answer(code, new String(body, StandardCharsets.UTF_8), arrived);
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) throw new IOException("connection closed");
            if (b != '\r') buffer.write(b);
        }
        return buffer.toString(StandardCharsets.ISO_8859_1);
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 16_384);
        out = socket.getOutputStream();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
