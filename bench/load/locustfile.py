"""Locust users for bench/load/run.py.

IntakeUser completes a full intake like a browser, each HTTP request measured on its own
(no automatic redirects): GET /intake/ -> GET consent -> for each step POST (action=next)
+ GET the page it redirects to -> POST review (action=submit) must redirect to
/intake/done/ -> GET /intake/done/. Then it forgets its cookies (a new client) and
starts again, with no wait.
BaselineUser hits /bench/baseline/ (a bare view that inserts one row) in a loop.
The answers come from tests/intake_data.py answers(), dumped to JSON by run.py
(BENCH_ANSWERS names the file); each intake is a different person (name in Latin and
Cyrillic, birth date, e-mail, phone), as in a real rush of inquiries, so the duplicate
check does its real work instead of matching every earlier intake.
"""

import json
import os
import random
import re

from locust import HttpUser, constant, events, task
from locust.exception import RescheduleTask
from people import another_person  # locust puts this file's folder on sys.path

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
with open(os.environ.get("BENCH_ANSWERS", "/tmp/bench_answers.json")) as handle:
    STEPS = json.load(handle)

class IntakeUser(HttpUser):
    wait_time = constant(0)
    rng = random.Random(2026)

    def _get(self, url, name):
        with self.client.get(url, name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url}: {response.status_code}")
                ok = False
            else:
                ok = True
                match = TOKEN.search(response.text)
        if not ok:
            raise RescheduleTask()
        return match.group(1) if match else None

    def _post(self, url, data, name, expect=None):
        with self.client.post(url, data=data, name=name, allow_redirects=False,
                              catch_response=True) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or (expect and location != expect):
                response.failure(f"{url}: {response.status_code} -> {location!r}")
                location = None
        if location is None:
            raise RescheduleTask()
        return location

    @task
    def intake(self):
        self.client.cookies.clear()
        with self.client.get("/intake/", name="GET /intake/", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"start: {response.status_code}")
                return
            location = response.headers["Location"]
        token = self._get(location, "GET step")
        for slug, values in another_person(STEPS, self.rng).items():
            location = self._post(
                f"/intake/step/{slug}/",
                {**values, "action": "next", "csrfmiddlewaretoken": token},
                "POST step (next)",
            )
            token = self._get(location, "GET step")
        self._post("/intake/step/review/",
                   {"action": "submit", "csrfmiddlewaretoken": token},
                   "POST review (submit)", expect="/intake/done/")
        self._get("/intake/done/", "GET /intake/done/")


class BaselineUser(HttpUser):
    wait_time = constant(0)

    @task
    def baseline(self):
        with self.client.get("/bench/baseline/", name="GET /bench/baseline/",
                             catch_response=True) as response:
            if response.status_code != 200 or response.text != "ok":
                response.failure(f"baseline: {response.status_code}")


@events.quitting.add_listener
def dump_final_stats(environment, **kwargs):
    """The CSV is written before --stop-timeout lets the last intakes finish; this is final."""
    path = os.environ.get("BENCH_STATS")
    if not path:
        return
    stats = environment.stats
    rows = {}
    for entry in [*stats.entries.values(), stats.total]:
        name = "Aggregated" if entry is stats.total else entry.name
        rows[name] = {
            "Request Count": entry.num_requests,
            "Failure Count": entry.num_failures,
            "Requests/s": entry.total_rps,
            **{f"{int(q * 100)}%": entry.get_response_time_percentile(q)
               for q in (0.5, 0.95, 0.99)},
        }
    with open(path, "w") as handle:
        json.dump(rows, handle, indent=2)
