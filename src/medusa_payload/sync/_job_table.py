"""The one table of sync jobs: job name -> the engine method and where its arguments come from.

A job ``sync.<method>`` runs ``SyncEngine.<method>`` / ``AsyncSyncEngine.<method>``; the table
says which job-data keys are its required positional arguments and which optional keywords
come from which key (``medusa_payload._jobs`` documents the data of each job).
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import _jobs
from ..errors import Unrecoverable

__all__ = ["JOB_ARGUMENTS", "job_call"]

JOB_ARGUMENTS: Mapping[str, tuple[tuple[str, ...], Mapping[str, str]]] = {
    _jobs.PRODUCT_TO_PAYLOAD: (("product_id",), {}),
    _jobs.PRODUCT_DELETED: (("product_id",), {}),
    _jobs.CONTENT_TO_MEDUSA: (("content_id",), {"medusa_product_id": "product_id"}),
    _jobs.PAGE_TO_MEDUSA: (("page_id",), {}),
    _jobs.STORE_TO_MEDUSA: (("store_id",), {}),
    _jobs.VENDOR_TO_PAYLOAD: (("vendor_id",), {"record": "vendor"}),
    _jobs.TENANT_TO_PAYLOAD: (("tenant_id",), {"record": "tenant"}),
    _jobs.ORDER_AUDIT: (("order_id", "event"), {}),
}
"""``job name -> (required data keys, {keyword: data key})``; the method is the name after
``sync.``."""


def job_call(name: str, data: Mapping[str, object]) -> tuple[str, list[str], dict[str, object]]:
    """The engine method, positional and keyword arguments of job ``name`` with ``data``.

    Raises:
        Unrecoverable: a required key is missing or empty (bad job data never gets better).
        KeyError: ``name`` is not a sync job.
    """
    required, optional = JOB_ARGUMENTS[name]
    args = []
    for key in required:
        value = data.get(key)
        if value in (None, ""):
            raise Unrecoverable(f"job data has no {key!r}: {dict(data)}")
        args.append(str(value))
    kwargs = {keyword: data.get(key) for keyword, key in optional.items()}
    return name.removeprefix("sync."), args, kwargs
