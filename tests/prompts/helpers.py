"""Shared pieces of the prompt and context tests."""

from __future__ import annotations

from ghostls.documents import Document, DocumentStore

PAYMENTS = """\
import decimal


def refund_payment(payment, amount, reason):
    ledger = payment.ledger
    if amount > payment.captured_amount:
        raise RefundTooLarge(payment.id, amount)
    entry = ledger.add_entry(payment.account, -amount, reason=reason)
    payment.refunded_amount += amount
    notify_customer(payment.customer, entry)
    return entry


def format_money(value):
    return f"{value:.2f}"
"""

UNRELATED = """\
def draw_circle(canvas, center, radius, colour):
    canvas.begin_path()
    canvas.arc(center.x, center.y, radius, 0, 360)
    canvas.fill(colour)
    canvas.end_path()
"""

CURRENT = (
    """\
from billing import ledger


def capture_payment(payment, amount):
    ledger = payment.ledger
    if amount > payment.authorized_amount:
        raise CaptureTooLarge(payment.id, amount)
    entry = ledger.add_entry(payment.account, amount, reason="capture")
    payment.captured_amount += amount
    notify_customer(payment.customer, entry)
    return entry


def void_payment(payment):
"""
    + "    \n"  # the cursor's line, indented
)


def store_with(*docs: tuple[str, str, str]) -> tuple[DocumentStore, list[Document]]:
    store = DocumentStore()
    opened = [store.open(uri, language, 1, text) for uri, language, text in docs]
    return store, opened


def path_of(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]
