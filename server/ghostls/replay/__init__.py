"""Keystroke replay through the real server: the benchmark (`ghostls bench`) and the demo
(`ghostls demo`).

A simulated programmer re-types regions of real source files into `python -m ghostls` over
stdio, as an editor would (incremental `didChange`, an automatic inline request per key, the
previous one cancelled, Tab to accept), against the local model server answering as an oracle
that knows the file. Pure parts: `corpus` (which code to type), `typist` (when keys come),
`oracle` (what the model answers), `metrics` (what the user felt). `session` drives the
protocol; `bench` and `demo` are the two front ends.

This package's `__init__` and `options` stay light: the command line imports them on every run.
"""
