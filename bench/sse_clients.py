#!/usr/bin/env python3
"""Holds many GET /api/events streams open and counts what each receives, for bench/load.sh:
    sse_clients.py PORT CLIENTS OUT.json [SLOW_BYTES_PER_S]

Opens CLIENTS streams to http://127.0.0.1:PORT/api/events (asyncio, one process), plus, when
SLOW_BYTES_PER_S > 0, one deliberately slow client: a blocking socket with a 4 KiB receive buffer
that reads SLOW_BYTES_PER_S bytes a second, so its side of the connection fills up and Docksmith's
writes to it block. Prints "ready N" on stdout once every stream answered 200 with its headers.
On SIGTERM or SIGINT it writes OUT.json and exits: per client the HTTP status, bytes, events
(`data:` frames), check.progress `started` and `complete` events with the wall-clock time each
`complete` arrived (seconds since the epoch), events dropped for it by Docksmith (the sum of its
system.events_dropped notices), whether the stream ended early, and any error.

The chunked transfer encoding is decoded first (Docksmith writes several frames per flush, and a
chunk may end inside a frame); counting then works on whole frames without parsing each one.
Listens nowhere and connects to 127.0.0.1 only.
"""
import asyncio
import json
import re
import signal
import socket
import sys
import threading
import time

STARTED = b'{"type":"check.progress","payload":{"stage":"started"'
COMPLETE = b'{"type":"check.progress","payload":{"stage":"complete"'
DROPPED = re.compile(rb'\{"type":"system\.events_dropped","payload":\{"dropped":(\d+)')
REQUEST = "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n\r\n"


class Counter:
    def __init__(self, ident, slow=False):
        self.ident = ident
        self.slow = slow
        self.status = None
        self.bytes = 0
        self.events = 0
        self.started = 0
        self.complete = 0
        self.complete_times = []
        self.dropped = 0
        self.ended = False
        self.error = None
        self.header = b""
        self.carry = b""
        self.raw = b""          # chunked-encoding bytes not decoded yet
        self.chunk_left = 0     # payload bytes left in the current chunk (then its CRLF)

    def feed(self, data):
        """Counts the whole frames in data (after the headers); keeps an unfinished frame for later."""
        now = time.time()
        self.bytes += len(data)
        if self.status is None:
            self.header += data
            end = self.header.find(b"\r\n\r\n")
            if end < 0:
                return
            first = self.header.split(b"\r\n", 1)[0].split()
            self.status = int(first[1]) if len(first) > 1 and first[1].isdigit() else -1
            data, self.header = self.header[end + 4:], b""
        data = self.dechunk(data)
        buf = self.carry + data
        cut = buf.rfind(b"\n\n")
        if cut < 0:
            self.carry = buf
            return
        whole, self.carry = buf[:cut + 2], buf[cut + 2:]
        self.events += whole.count(b"data: ")
        self.started += whole.count(STARTED)
        n = whole.count(COMPLETE)
        if n:
            self.complete += n
            self.complete_times.extend([now] * n)
        if b"system.events_dropped" in whole:
            self.dropped += sum(int(m) for m in DROPPED.findall(whole))

    def dechunk(self, data):
        """The payload in data, across chunk boundaries: size line, payload, CRLF, repeated."""
        self.raw += data
        out = []
        while self.raw:
            if self.chunk_left > 0:
                take = self.raw[:self.chunk_left]
                out.append(take)
                self.chunk_left -= len(take)
                self.raw = self.raw[len(take):]
                if self.chunk_left == 0:
                    self.chunk_left = -2          # its CRLF follows
                continue
            if self.chunk_left < 0:               # skip the CRLF after a chunk's payload
                skip = min(-self.chunk_left, len(self.raw))
                self.raw = self.raw[skip:]
                self.chunk_left += skip
                continue
            eol = self.raw.find(b"\r\n")
            if eol < 0:
                break
            size = int(self.raw[:eol].split(b";")[0], 16)
            self.raw = self.raw[eol + 2:]
            if size == 0:
                self.ended = True
                self.raw = b""
                break
            self.chunk_left = size
        return b"".join(out)

    def result(self):
        return {"id": self.ident, "slow": self.slow, "status": self.status, "bytes": self.bytes, "events": self.events,
                "started": self.started, "complete": self.complete, "complete_times": self.complete_times,
                "dropped": self.dropped, "ended": self.ended, "error": self.error}


async def fast_client(port, counter, connected):
    signalled = False
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write((REQUEST % port).encode())
        await writer.drain()
        while True:
            data = await reader.read(262144)
            if not data:
                counter.ended = True
                break
            counter.feed(data)
            if not signalled and counter.status is not None:
                signalled = True
                connected.release()
    except asyncio.CancelledError:
        raise
    except Exception as e:  # noqa: BLE001 - reported per client
        counter.error = repr(e)
        if not signalled:
            connected.release()


def slow_client(port, counter, rate, stop, connected):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect, so the window stays small
        s.connect(("127.0.0.1", port))
        s.sendall((REQUEST % port).encode())
        s.settimeout(1.0)
        while counter.status is None and not stop.is_set():
            try:
                data = s.recv(4096)
            except socket.timeout:
                continue
            if not data:
                counter.ended = True
                break
            counter.feed(data)
        if counter.status is None:
            raise ConnectionError("no answer")
        connected.release()
        while not stop.is_set():
            stop.wait(1.0)
            try:
                data = s.recv(rate)
            except socket.timeout:
                continue
            if not data:
                counter.ended = True
                break
            counter.feed(data)
        s.close()
    except Exception as e:  # noqa: BLE001
        counter.error = repr(e)
        if counter.status is None:
            connected.release()


async def main():
    port, n, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    slow_rate = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    connected = asyncio.Semaphore(0)
    counters = [Counter(i) for i in range(n)]
    tasks = []
    for c in counters:  # a few at a time, as browsers would reconnect, not 200 SYNs in one go
        tasks.append(asyncio.ensure_future(fast_client(port, c, connected)))
        await asyncio.sleep(0.002)
    for _ in range(n):
        await connected.acquire()
    slow, slow_stop, slow_thread = None, threading.Event(), None
    if slow_rate > 0:
        slow = Counter(n, slow=True)
        slow_connected = threading.Semaphore(0)
        slow_thread = threading.Thread(target=slow_client, args=(port, slow, slow_rate, slow_stop, slow_connected), daemon=True)
        slow_thread.start()
        await loop.run_in_executor(None, slow_connected.acquire)
    ok = sum(1 for c in counters if c.status == 200) + (1 if slow is not None and slow.status == 200 else 0)
    print("ready %d" % ok, flush=True)
    await stop.wait()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    slow_stop.set()
    if slow_thread is not None:
        slow_thread.join(5)
    results = [c.result() for c in counters] + ([slow.result()] if slow is not None else [])
    with open(out, "w") as f:
        json.dump({"clients": results, "stopped_at": time.time()}, f)


if __name__ == "__main__":
    asyncio.run(main())
