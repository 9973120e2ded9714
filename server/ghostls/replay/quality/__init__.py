"""`ghostls bench --quality`: does the text ghostls inserts match what the author wrote, when
the model's right answer comes wrapped in the artifacts real models produce?

Cut points are sampled (seeded) in real files nobody here wrote: the standard library, and the
JavaScript, TypeScript and Lua sources found on the machine (or `--corpus DIR`). Each is labelled
by where the cursor is (`LABELS`); the truth there is what the author wrote next. The document
is opened without the truth, the rest of the file in place as in real editing, and an invoked
inline request is sent at the cursor to `python -m ghostls` over stdio. The local model server
answers with the truth wrapped in one artifact kind (`ghostls.replay.artifacts`), each alone
and some mixed, chat-style kinds through a server in chat prompt mode and FIM-style ones through
one in FIM mode. The figure is the share of answers after which the document (the returned
item's range replaced by its text) equals the file, before post-processing (the raw answer
inserted at the cursor, as a naive client would) and after (what ghostls returned).

By concern: `suite` (labels, modes, targets, seeds, artifact sets), `lexer` (code, comments and
strings line by line), `sampling` (cut points), `sources` (the files), `evaluation` (what each
cut point is asked, through the server), `scoring`, `report` (Markdown and JSON), `command`.
"""
