"""A real SMTP server on loopback that counts messages into a file.

Run: python bench/load/smtp_counter.py PORT COUNT_FILE
The file holds "<messages> <recipients>" and is rewritten after every message.
"""

import sys
import threading
import time

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self, path):
        self.path = path
        self.messages = 0
        self.recipients = 0
        self.lock = threading.Lock()
        self._write()

    def _write(self):
        with open(self.path + ".tmp", "w") as handle:
            handle.write(f"{self.messages} {self.recipients}\n")
        import os

        os.replace(self.path + ".tmp", self.path)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages += 1
            self.recipients += len(envelope.rcpt_tos)
            self._write()
        return "250 OK"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Counter(path), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
