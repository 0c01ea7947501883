"""Transactional outbox (stub until the notifications issue lands)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def record_event(event: str, **ids: int | str) -> None:
    logger.info("event %s %s", event, ids)
