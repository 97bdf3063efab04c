"""The bench's Python worker: the shape of the original Python clawfactory worker, for comparison.

One process with the Temporal Python SDK at its defaults (its Rust core runs in-process), httpx for
the gateway, workflows in the SDK's sandbox, activities as coroutines on one event loop, as the
original ran them. It serves the bench's shapes on its own task queue:

  BenchPyTwoTurnWorkflow(wait_millis)  agent turn, a wait of wait_millis, agent turn
  BenchPyParkWorkflow()                one agent turn, then parked in a one-hour wait

An agent turn is OpenClaw's POST /hooks/agent with the bearer token, waitForCompletion and an
idempotency key, answered with {"ok": true, ...}; the message is the workflow id, as the Java
worker's bench definitions send it. Retries as the original: 30 s, backing off to 5 min, 3 attempts.

Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, GATEWAY_URL, GATEWAY_TOKEN.
SIGTERM or SIGINT stops it.
"""
import time

_T0 = time.monotonic()

import asyncio  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
from datetime import timedelta  # noqa: E402

from temporalio import activity, workflow  # noqa: E402
from temporalio.client import Client  # noqa: E402
from temporalio.common import RetryPolicy  # noqa: E402
from temporalio.worker import Worker  # noqa: E402

with workflow.unsafe.imports_passed_through():
    import httpx

TWO_TURN = "BenchPyTwoTurnWorkflow"
PARKED = "BenchPyParkWorkflow"
RETRY = RetryPolicy(initial_interval=timedelta(seconds=30), maximum_interval=timedelta(minutes=5),
                    maximum_attempts=3)
TURN_OPTIONS = dict(start_to_close_timeout=timedelta(minutes=10), retry_policy=RETRY)

_http: "httpx.AsyncClient | None" = None


@activity.defn(name="agentTurn")
async def agent_turn(name: str, message: str) -> str:
    """One turn: POST /hooks/agent; anything but 2xx with ok:true fails the attempt."""
    global _http
    if _http is None:
        _http = httpx.AsyncClient(base_url=os.environ["GATEWAY_URL"], timeout=300)
    info = activity.info()
    key = f"{info.workflow_run_id}/{info.activity_id}"
    response = await _http.post("/hooks/agent", headers={
        "Authorization": f"Bearer {os.environ.get('GATEWAY_TOKEN', '')}",
        "Idempotency-Key": key,
    }, json={"message": message, "name": name, "idempotencyKey": key, "waitForCompletion": True})
    response.raise_for_status()
    answer = response.json()
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        raise RuntimeError(f"gateway answered {response.status_code} without ok:true")
    return str(answer.get("runId", ""))


@workflow.defn(name=TWO_TURN)
class TwoTurnWorkflow:
    @workflow.run
    async def run(self, wait_millis: int) -> str:
        me = workflow.info().workflow_id
        await workflow.execute_activity(agent_turn, args=["bench-execute", me], **TURN_OPTIONS)
        await asyncio.sleep(wait_millis / 1000)
        return await workflow.execute_activity(agent_turn, args=["bench-synthesize", me], **TURN_OPTIONS)


@workflow.defn(name=PARKED)
class ParkWorkflow:
    @workflow.run
    async def run(self) -> str:
        await workflow.execute_activity(agent_turn, args=["bench-park", workflow.info().workflow_id], **TURN_OPTIONS)
        await asyncio.sleep(3600)
        return "woke"


async def main() -> None:
    address = os.environ.get("TEMPORAL_ADDRESS", "127.0.0.1:7233")
    queue = os.environ.get("TEMPORAL_TASK_QUEUE", "bench-python")
    client = await Client.connect(address, namespace=os.environ.get("TEMPORAL_NAMESPACE", "default"))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    async with Worker(client, task_queue=queue, workflows=[TwoTurnWorkflow, ParkWorkflow], activities=[agent_turn]):
        print(f"Python worker polling task queue '{queue}' on {address}; started in "
              f"{(time.monotonic() - _T0) * 1000:.0f} ms", flush=True)
        await stop.wait()
    if _http is not None:
        await _http.aclose()


if __name__ == "__main__":
    asyncio.run(main())
