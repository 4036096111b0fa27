#!/usr/bin/python3
# A real SMTP server for the tests (Debian's python3-aiosmtpd): every
# message it accepts is written to DIR as one file, named by arrival, with
# the envelope in two header lines before the message itself, and only
# after the file is complete is the message acknowledged (250).
#
#   smtp-server.py PORT DIR [DELAY-MS]
#
# DELAY-MS: each message takes that long to accept (a slow relay, so
# that a test can stop it in the middle of a burst).
# Prints "ready" on stdout once it listens; SIGTERM stops it.
import asyncio
import itertools
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller

port, outdir = int(sys.argv[1]), sys.argv[2]
delay = int(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0
os.makedirs(outdir, exist_ok=True)
counter = itertools.count()


class Store:
    async def handle_DATA(self, server, session, envelope):
        if delay:
            await asyncio.sleep(delay)
        name = '%d-%06d-%d.eml' % (time.time_ns(), next(counter), os.getpid())
        tmp = os.path.join(outdir, '.' + name)
        with open(tmp, 'wb') as f:
            f.write(b'X-Envelope-From: ' + envelope.mail_from.encode() + b'\r\n')
            f.write(b'X-Envelope-To: ' + ','.join(envelope.rcpt_tos).encode() + b'\r\n')
            f.write(envelope.original_content)
        os.rename(tmp, os.path.join(outdir, name))
        return '250 Message accepted for delivery'


# The signals wait for the main thread; the server runs in its own.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
controller = Controller(Store(), hostname='127.0.0.1', port=port,
                        decode_data=False)
controller.start()
print('ready', flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
