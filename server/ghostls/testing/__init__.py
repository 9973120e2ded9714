"""A local OpenAI-compatible model server for the tests, the benchmarks and `ghostls demo`.

    async with ModelServer(profile="groq") as server:
        server.add_rule("return a + b", contains="def add")
        client = AsyncOpenAI(base_url=server.base_url, api_key="test")

Run it on its own with `python -m ghostls.testing --help`.
"""

from .model_server import ModelServer, ModelServerThread
from .replies import PROFILES, Fault, FaultKind, Profile, RecordedRequest, Reply, Responder

__all__ = [
    "PROFILES",
    "Fault",
    "FaultKind",
    "ModelServer",
    "ModelServerThread",
    "Profile",
    "RecordedRequest",
    "Reply",
    "Responder",
]
