"""A workspace in an S3 bucket (boto3, imported lazily: ``pip install 'monitorflow[s3]'``).

The bucket is the source of truth: each snapshot is one ``PUT`` (``If-None-Match: *`` unless
replacing, so two writers of one id cannot both win), then it is indexed. The listing and
dashboard index lives in a SQL database: a local SQLite cache by default
(``$MONITORFLOW_CACHE_DIR`` or ``~/.cache/monitorflow``), or ``index_uri="postgresql+psycopg://..."``
to share one between machines. Listings and series first compare the project's bucket listing
(keys and ETags) with the index and index what other processes wrote (at most once per
``sync_interval`` seconds, default 1), so the cache can be deleted at any time; ``reindex()`` rebuilds it.

Endpoint and credentials come from boto3's usual sources (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL``, ``~/.aws/config`` ...) or the ``endpoint_url`` argument.
"""

from __future__ import annotations

import builtins
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from monitorflow.errors import MissingDependencyError, StorageError
from monitorflow.storage.base import Payload
from monitorflow.storage.blobs import BlobExists, BlobMissing
from monitorflow.storage.blobstore import BlobIndexStore
from monitorflow.storage.recovery import GRACE_PERIOD_S
from monitorflow.storage.runners import open_runner

_DELETE_BATCH = 1000


def _boto3() -> Any:
    try:
        import boto3  # optional: s3 extra
        import botocore.config  # noqa: F401  (optional: s3 extra; a missing botocore fails early)
        import botocore.exceptions  # noqa: F401  (optional: s3 extra)
    except ImportError as exc:
        raise MissingDependencyError("boto3", "s3") from exc
    return boto3


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ``("bucket", "some/prefix/")``.

    >>> parse_s3_uri("s3://monitoring/prod")
    ('monitoring', 'prod/')
    """
    rest = uri[len("s3://") :]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise StorageError(f"invalid S3 URI {uri!r}: expected s3://bucket/prefix")
    prefix = prefix.strip("/")
    return bucket, f"{prefix}/" if prefix else ""


def default_cache_dir() -> Path:
    if env := os.environ.get("MONITORFLOW_CACHE_DIR"):
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "monitorflow"


def _code(exc: Any) -> tuple[str, int]:
    error = getattr(exc, "response", {}) or {}
    return str(error.get("Error", {}).get("Code", "")), int(
        error.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    )


class S3Blobs:
    """Blobs as objects under ``s3://bucket/prefix``."""

    def __init__(
        self, bucket: str, prefix: str, endpoint_url: str | None = None, create_bucket: bool = False
    ) -> None:
        boto3 = _boto3()
        import botocore.config  # optional: s3 extra
        import botocore.exceptions  # optional: s3 extra

        self._errors = (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError)
        self.bucket, self.prefix = bucket, prefix
        custom = endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        config = botocore.config.Config(
            retries={"total_max_attempts": int(os.environ.get("AWS_MAX_ATTEMPTS") or 6), "mode": "standard"},
            s3={"addressing_style": "path"} if custom else {},
            max_pool_connections=32,
        )
        try:
            self.client = boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)
            self.endpoint = self.client.meta.endpoint_url
        except self._errors as exc:
            raise StorageError(f"cannot create an S3 client for s3://{bucket}: {exc}") from exc
        self._check_bucket(create_bucket)

    def _fail(self, action: str, key: str, exc: Exception) -> StorageError:
        return StorageError(f"S3 {action} {self.where(key)} at {self.endpoint} failed: {exc}")

    def _check_bucket(self, create: bool) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return
        except self._errors as exc:
            code, status = _code(exc)
            if status != 404 and code not in ("404", "NoSuchBucket", "NotFound"):
                raise self._fail("HEAD bucket", "", exc) from exc
        if not create:
            raise StorageError(
                f"S3 bucket {self.bucket!r} does not exist at {self.endpoint}; create it, "
                "or open the workspace with Workspace.create(uri) which creates it"
            )
        try:
            self.client.create_bucket(Bucket=self.bucket)
        except self._errors as exc:
            if _code(exc)[0] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise self._fail("create bucket", "", exc) from exc

    def where(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.prefix}{key}"

    def put(self, key: str, data: Payload, overwrite: bool = True) -> str:
        """One PUT (a file is streamed from disk); ``overwrite=False`` adds ``If-None-Match: *``."""
        extra = {} if overwrite else {"IfNoneMatch": "*"}
        for attempt in range(5):
            try:
                if isinstance(data, bytes):
                    response = self.client.put_object(
                        Bucket=self.bucket, Key=self.prefix + key, Body=data, **extra
                    )
                else:
                    with open(data, "rb") as body:
                        response = self.client.put_object(
                            Bucket=self.bucket, Key=self.prefix + key, Body=body, **extra
                        )
                return str(response["ETag"]).strip('"')
            except self._errors as exc:
                code, status = _code(exc)
                if status == 412 or code == "PreconditionFailed":
                    raise BlobExists(key) from None
                if (status == 409 or code == "ConditionalRequestConflict") and attempt < 4:
                    time.sleep(0.05 * (attempt + 1))  # a concurrent conditional write: ask again
                    continue
                raise self._fail("PUT", key, exc) from exc
        raise AssertionError("unreachable")

    def get(self, key: str) -> tuple[bytes, str]:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
            return response["Body"].read(), str(response["ETag"]).strip('"')
        except self._errors as exc:
            code, status = _code(exc)
            if code in ("NoSuchKey", "404") or status == 404:
                raise BlobMissing(key) from None
            raise self._fail("GET", key, exc) from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
            return True
        except self._errors as exc:
            if _code(exc)[1] == 404 or _code(exc)[0] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise self._fail("HEAD", key, exc) from exc

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)
        except self._errors as exc:
            raise self._fail("DELETE", key, exc) from exc

    def delete_prefix(self, prefix: str) -> None:
        """Delete every object under ``prefix``; its ``metadata.json`` (the project marker) first."""
        self.delete(prefix + "metadata.json")
        keys = [key for key, _, _ in self.list(prefix, recursive=True)]
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = [{"Key": self.prefix + k} for k in keys[start : start + _DELETE_BATCH]]
            try:
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            except self._errors as exc:
                raise self._fail("DELETE objects under", prefix, exc) from exc
        # SeaweedFS keeps the emptied folders and lists them as common prefixes (a deleted project would
        # still look present); deleting the folder keys, deepest first, removes them (no-ops on AWS S3).
        folders = {prefix}
        for key in keys:
            parts = key[len(prefix) :].split("/")[:-1]
            folders.update(prefix + "/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
        for folder in sorted(folders, key=len, reverse=True):
            self.delete(folder)

    def list(self, prefix: str, recursive: bool = False) -> Iterator[tuple[str, str, int]]:
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self.prefix + prefix}
        if not recursive:
            kwargs["Delimiter"] = "/"
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(**kwargs):
                for item in page.get("Contents", []):
                    yield item["Key"][len(self.prefix) :], str(item["ETag"]).strip('"'), int(item["Size"])
        except self._errors as exc:
            raise self._fail("LIST", prefix, exc) from exc

    def remove_temp(self, folder: str, grace: float) -> builtins.list[str]:
        """No temporary objects: every object is one PUT."""
        return []

    def children(self, prefix: str = "") -> builtins.list[str]:
        names = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix, Delimiter="/"
            )
            for page in pages:
                for common in page.get("CommonPrefixes", []):
                    names.append(common["Prefix"][len(self.prefix + prefix) :].rstrip("/"))
        except self._errors as exc:
            raise self._fail("LIST", prefix, exc) from exc
        return names


class S3Store(BlobIndexStore):
    """``s3://bucket/prefix``: snapshots in the bucket, the index in SQLite (default) or PostgreSQL."""

    def __init__(
        self,
        uri: str,
        *,
        endpoint_url: str | None = None,
        index_uri: str | os.PathLike[str] | None = None,
        sync_interval: float = 1.0,
        create: bool = False,
        grace_period: float = GRACE_PERIOD_S,
    ) -> None:
        bucket, prefix = parse_s3_uri(uri)
        blobs = S3Blobs(bucket, prefix, endpoint_url=endpoint_url, create_bucket=create)
        if index_uri is None:
            digest = hashlib.sha1(f"{blobs.endpoint}|{bucket}|{prefix}".encode()).hexdigest()[:16]
            index_uri = default_cache_dir() / f"s3-index-{bucket}-{digest}.sqlite"
        super().__init__(
            uri,
            blobs,
            open_runner(index_uri),
            sync_on_read=True,
            sync_interval=sync_interval,
            grace_period=grace_period,
        )
