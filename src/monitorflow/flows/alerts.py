"""Alert automations as files: fill in a notification block, then create them with Prefect's CLI or
create-or-update them by name.

``deployments/automations/alerts.yaml`` holds one automation per event the flows emit; each
notifies through the block whose id replaces ``BLOCK_DOCUMENT_ID``. The ``monitorflow alerts``
command calls :func:`render` (for ``prefect automation create -f``) and :func:`apply` (create or
update by name).
"""

from __future__ import annotations

import os
from typing import Any
from uuid import UUID

import yaml
from prefect.client.orchestration import get_client
from prefect.events.schemas.automations import AutomationCore

from monitorflow.errors import ConfigurationError

#: Stands for the notification block's id in the automation files.
PLACEHOLDER = "BLOCK_DOCUMENT_ID"


def block_document_id(block: str) -> UUID:
    """The id of a saved block given as ``<block type slug>/<name>``, e.g. ``slack-webhook/alerts``."""
    slug, _, name = block.partition("/")
    if not slug or not name:
        raise ConfigurationError(
            f"block {block!r} must be <block type slug>/<name>, e.g. custom-webhook/alerts"
        )
    with get_client(sync_client=True) as client:
        try:
            return client.read_block_document_by_name(name, block_type_slug=slug).id
        except Exception as exc:  # the Prefect client's "not found" type varies by version
            raise ConfigurationError(
                f"no block {block!r} on the Prefect server ({exc}); create it first (see docs/prefect.md, "
                "Alerts)"
            ) from None


def render(path: str | os.PathLike[str], block_id: UUID) -> str:
    """The automation file's text with the block's id in place of the placeholder."""
    with open(path, encoding="utf-8") as handle:
        return handle.read().replace(PLACEHOLDER, str(block_id))


def automations(text: str) -> list[AutomationCore]:
    """The automations of a file's text: one, a list, or ``{automations: [...]}``."""
    data: Any = yaml.safe_load(text)
    items = data.get("automations", data) if isinstance(data, dict) else data
    return [AutomationCore.model_validate(item) for item in (items if isinstance(items, list) else [items])]


def apply(path: str | os.PathLike[str], block: str) -> list[UUID]:
    """Create each automation of the file, or update the one of the same name (duplicates deleted)."""
    block_id = block_document_id(block)
    ids = []
    with get_client(sync_client=True) as client:
        for automation in automations(render(path, block_id)):
            existing = client.read_automations_by_name(automation.name)
            if existing:
                client.update_automation(existing[0].id, automation)
                for extra in existing[1:]:
                    client.delete_automation(extra.id)
                ids.append(existing[0].id)
            else:
                ids.append(client.create_automation(automation))
    return ids


__all__ = ["PLACEHOLDER", "apply", "automations", "block_document_id", "render"]
