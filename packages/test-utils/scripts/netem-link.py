#!/usr/bin/env python3
"""A link emulator for tests: two network namespaces joined by one link with
one-way delay, random loss and a cut (drop everything), changeable while it
runs. Python 3 standard library only; needs root.

    netem-link.py --ns-a A --ns-b B [--addr-a 10.77.0.1/24] [--addr-b 10.77.0.2/24]
                  [--create-ns] [--mode auto|kernel|userspace]
                  [--delay MS] [--loss PERCENT] [--cut] [--mtu 1500] [--seed N]

kernel mode: a veth pair, one end in each namespace, shaped with `tc netem`
on both ends (each direction gets the delay and the loss; a cut is loss 100%).

userspace mode (what auto falls back to when the kernel has no netem qdisc):
one TUN device per side, opened here (in the namespace this runs in) and
moved into its namespace; the open file descriptor stays attached to the
device. Every IP packet one side sends is read here and written into the
other side's TUN device, each direction through its own queue: it is dropped
with probability loss/100 (always while cut), otherwise delivered `delay` ms
after it was read (order kept; at most 4096 packets queued per direction).

With --create-ns it creates both namespaces (and deletes them on exit). Each
side gets its address and `lo` up. Then it prints one JSON line
{"ready": true, "mode": ..., "ifA": ..., "ifB": ...} (or {"ready": false,
"error": ...} and exits 1).

Control: one command a line on stdin, each answered with one JSON line:
    set delay=MS loss=PERCENT cut=0|1   (any subset)
    cut                                 (drop everything; in userspace mode what is queued too)
    heal                                (cut=0)
    stats                               (userspace mode: packet counters per direction)
It exits when stdin closes, on SIGTERM/SIGINT, or when its parent dies
(PR_SET_PDEATHSIG), and on the way out removes its devices (closing a TUN
device's descriptor removes it) and the namespaces it created.
"""
import argparse
import ctypes
import fcntl
import heapq
import json
import os
import random
import select
import signal
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
PR_SET_PDEATHSIG = 1
MAX_QUEUED = 4096  # packets per direction; more are dropped (bounded memory)


class Failed(Exception):
    pass


def run(*args):
    try:
        res = subprocess.run(list(args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as err:  # the program is missing
        raise Failed('%s: %s' % (' '.join(args), err))
    if res.returncode != 0:
        raise Failed('%s: %s' % (' '.join(args), res.stderr.decode(errors='replace').strip()))


def open_tun():
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        res = fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH22x', b'tsl%d', IFF_TUN | IFF_NO_PI))
    except OSError:
        os.close(fd)
        raise
    return fd, res[:16].split(b'\0', 1)[0].decode()


def configure(ns, dev, addr, mtu):
    run('ip', '-n', ns, 'link', 'set', dev, 'mtu', str(mtu))
    run('ip', '-n', ns, 'addr', 'add', addr, 'dev', dev)
    run('ip', '-n', ns, 'link', 'set', dev, 'up')
    run('ip', '-n', ns, 'link', 'set', 'lo', 'up')


class Direction:
    def __init__(self, name, src, dst):
        self.name = name
        self.src = src
        self.dst = dst
        self.queue = []  # (due, seq, packet)
        self.seq = 0
        self.forwarded = 0
        self.lost = 0
        self.cut = 0
        self.overflow = 0
        self.write_errors = 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--ns-a', required=True)
    p.add_argument('--ns-b', required=True)
    p.add_argument('--addr-a', default='10.77.0.1/24')
    p.add_argument('--addr-b', default='10.77.0.2/24')
    p.add_argument('--create-ns', action='store_true')
    p.add_argument('--mode', choices=('auto', 'kernel', 'userspace'), default='auto')
    p.add_argument('--delay', type=float, default=0.0)
    p.add_argument('--loss', type=float, default=0.0)
    p.add_argument('--cut', action='store_true')
    p.add_argument('--mtu', type=int, default=1500)
    p.add_argument('--seed', type=int)
    opts = p.parse_args()

    state = {'delay': opts.delay / 1000.0, 'loss': opts.loss / 100.0, 'cut': opts.cut}
    rng = random.Random(opts.seed)
    created = []
    fds = []
    veth = []
    stopping = {'why': None}

    def cleanup():
        for fd in fds:
            try:
                os.close(fd)
            except OSError:
                pass
        for ns, dev in veth:
            subprocess.run(['ip', '-n', ns, 'link', 'del', dev], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for ns in created:
            subprocess.run(['ip', 'netns', 'del', ns], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def on_signal(signum, _frame):
        stopping['why'] = signal.Signals(signum).name

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except Exception:
        pass  # stdin closing still ends it
    if os.getppid() == 1:
        print(json.dumps({'ready': False, 'error': 'the parent is already gone'}), flush=True)
        return 1

    def netem_args():
        loss = 100.0 if state['cut'] else state['loss'] * 100.0
        return ['netem', 'limit', '10000', 'delay', '%.3fms' % (state['delay'] * 1000.0), 'loss', '%.4f%%' % loss]

    def apply_kernel():
        for ns, dev in veth:
            run('ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'replace', 'dev', dev, 'root', *netem_args())

    mode = None
    names = []
    try:
        for ns in (opts.ns_a, opts.ns_b):
            if opts.create_ns:
                run('ip', 'netns', 'add', ns)
                created.append(ns)
        if opts.mode in ('auto', 'kernel'):
            va, vb = 'tslv%da' % os.getpid(), 'tslv%db' % os.getpid()
            run('ip', 'link', 'add', va, 'type', 'veth', 'peer', 'name', vb)
            run('ip', 'link', 'set', va, 'netns', opts.ns_a)
            veth.append((opts.ns_a, va))
            run('ip', 'link', 'set', vb, 'netns', opts.ns_b)
            veth.append((opts.ns_b, vb))
            try:
                apply_kernel()
                mode = 'kernel'
                names = [va, vb]
                configure(opts.ns_a, va, opts.addr_a, opts.mtu)
                configure(opts.ns_b, vb, opts.addr_b, opts.mtu)
            except Failed:
                if opts.mode == 'kernel' or mode == 'kernel':
                    raise
                for ns, dev in veth:  # no netem here: take the veth away again
                    subprocess.run(['ip', '-n', ns, 'link', 'del', dev], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                veth.clear()
        if mode is None:
            mode = 'userspace'
            for ns, addr in ((opts.ns_a, opts.addr_a), (opts.ns_b, opts.addr_b)):
                fd, name = open_tun()
                fds.append(fd)
                names.append(name)
                run('ip', 'link', 'set', name, 'netns', ns)
                configure(ns, name, addr, opts.mtu)
    except (Failed, OSError) as err:
        print(json.dumps({'ready': False, 'error': str(err)}), flush=True)
        cleanup()
        return 1

    dirs = (Direction('ab', fds[0], fds[1]), Direction('ba', fds[1], fds[0])) if mode == 'userspace' else ()

    def stats():
        return {d.name: {'forwarded': d.forwarded, 'lost': d.lost, 'cut': d.cut, 'overflow': d.overflow,
                         'queued': len(d.queue), 'writeErrors': d.write_errors} for d in dirs}

    def settings():
        return {'delay': state['delay'] * 1000.0, 'loss': state['loss'] * 100.0, 'cut': state['cut']}

    def command(line):
        words = line.split()
        if not words:
            return None
        if words[0] == 'cut':
            words = ['set', 'cut=1']
        elif words[0] == 'heal':
            words = ['set', 'cut=0']
        if words[0] == 'stats':
            return {'ok': True, 'mode': mode, 'stats': stats(), **settings()}
        if words[0] != 'set':
            return {'ok': False, 'error': 'unknown command %r' % words[0]}
        before = dict(state)
        try:
            for w in words[1:]:
                key, _, value = w.partition('=')
                if key == 'delay':
                    v = float(value)
                    if not 0 <= v <= 60000:
                        raise ValueError('delay %s out of range (0..60000 ms)' % value)
                    state['delay'] = v / 1000.0
                elif key == 'loss':
                    v = float(value)
                    if not 0 <= v <= 100:
                        raise ValueError('loss %s out of range (0..100 %%)' % value)
                    state['loss'] = v / 100.0
                elif key == 'cut':
                    state['cut'] = value in ('1', 'true')
                else:
                    raise ValueError('unknown setting %r' % key)
            if mode == 'kernel':
                apply_kernel()
            elif state['cut']:
                for d in dirs:  # what is on the wire is lost too
                    d.cut += len(d.queue)
                    d.queue.clear()
        except (ValueError, Failed) as err:
            state.update(before)
            return {'ok': False, 'error': str(err)}
        return {'ok': True, **settings()}

    print(json.dumps({'ready': True, 'mode': mode, 'ifA': names[0], 'ifB': names[1], 'pid': os.getpid()}), flush=True)

    stdin = sys.stdin.fileno()
    pending = b''
    poller = select.poll()
    for fd in (*fds, stdin):
        poller.register(fd, select.POLLIN)
    try:
        while stopping['why'] is None:
            due = min((d.queue[0][0] for d in dirs if d.queue), default=None)
            timeout = None if due is None else max(0.0, (due - time.monotonic()) * 1000.0)
            try:
                events = poller.poll(timeout)
            except InterruptedError:
                continue
            for fd, _ev in events:
                if fd == stdin:
                    chunk = os.read(stdin, 4096)
                    if not chunk:
                        stopping['why'] = 'stdin closed'
                        break
                    pending += chunk
                    while b'\n' in pending:
                        line, pending = pending.split(b'\n', 1)
                        reply = command(line.decode(errors='replace'))
                        if reply is not None:
                            print(json.dumps(reply), flush=True)
                    if len(pending) > 65536:
                        pending = b''
                    continue
                d = dirs[0] if fd == fds[0] else dirs[1]
                for _ in range(256):
                    try:
                        packet = os.read(fd, 65536)
                    except BlockingIOError:
                        break
                    if state['cut']:
                        d.cut += 1
                    elif state['loss'] > 0 and rng.random() < state['loss']:
                        d.lost += 1
                    elif len(d.queue) >= MAX_QUEUED:
                        d.overflow += 1
                    else:
                        d.seq += 1
                        heapq.heappush(d.queue, (time.monotonic() + state['delay'], d.seq, packet))
            now = time.monotonic()
            for d in dirs:
                while d.queue and d.queue[0][0] <= now:
                    _, _, packet = heapq.heappop(d.queue)
                    try:
                        os.write(d.dst, packet)
                        d.forwarded += 1
                    except OSError:
                        d.write_errors += 1
    finally:
        cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main())
