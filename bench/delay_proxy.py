#!/usr/bin/env python3
"""A TCP proxy on loopback that adds latency, for benchmarks: delay_proxy.py LISTEN_PORT TARGET_PORT [ONE_WAY_MS]

Every chunk read from either side is held ONE_WAY_MS (default 12.5) before it is written to the
other side, in order, so a request/response exchange costs one round trip of 2 * ONE_WAY_MS more
than on bare loopback. Bandwidth is not limited. The TCP handshake that the kernel completes at
once on loopback is charged too: the client's first bytes reach the target no sooner than 3 one-way
delays after the connection was accepted (SYN, SYN-ACK, then the data), so a new connection costs
one round trip more than a reused one, as on a real network. Listens on 127.0.0.1 only; prints
"ready" on stdout once listening; stops on SIGTERM/SIGINT.
"""
import asyncio
import signal
import socket
import sys


async def pump(reader, writer, delay, floor):
    """Copies reader to writer, each chunk released `delay` after it arrived (never before `floor`)."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def read():
        try:
            while True:
                data = await reader.read(65536)
                queue.put_nowait((max(loop.time() + delay, floor), data))
                if not data:
                    return
        except (ConnectionError, OSError):
            queue.put_nowait((loop.time(), b""))

    async def write():
        try:
            while True:
                due, data = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass

    reading = asyncio.ensure_future(read())
    try:
        await write()
    finally:
        reading.cancel()


async def handle(client_reader, client_writer, target_port, delay):
    loop = asyncio.get_running_loop()
    accepted = loop.time()
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
    except OSError:
        client_writer.close()
        return
    for w in (client_writer, server_writer):
        sock = w.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        await asyncio.gather(
            pump(client_reader, server_writer, delay, accepted + 3 * delay),
            pump(server_reader, client_writer, delay, 0.0))
    finally:
        for w in (client_writer, server_writer):
            try:
                w.close()
            except Exception:
                pass


async def main():
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    delay = (float(sys.argv[3]) if len(sys.argv) > 3 else 12.5) / 1000.0
    server = await asyncio.start_server(lambda r, w: handle(r, w, target_port, delay), "127.0.0.1", listen_port,
                                        reuse_address=True, backlog=512)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
