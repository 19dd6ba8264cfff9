"""Where backups are kept: a folder, or an S3-compatible store (AWS S3, MinIO, Ceph, Backblaze,
Wasabi…) through boto3, named by one setting, ``WEBFORMS_BACKUP_TARGET``:

- ``/srv/backups/webforms`` (or ``file:///srv/backups/webforms``): a folder, best on another disk
  or a mounted share; by default ``instance/backups``.
- ``s3://bucket/prefix?endpoint_url=https://minio.example.org:9000&region=us-east-1``: a bucket;
  the credentials come from boto3's usual places (``AWS_ACCESS_KEY_ID`` and
  ``AWS_SECRET_ACCESS_KEY``, ``~/.aws/credentials``, an instance role), never from the URL.

Each target keeps the newest ``WEBFORMS_BACKUP_KEEP`` backups and removes older ones.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3

from webforms.backup.create import SUFFIX


class FolderTarget:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def __str__(self) -> str:
        return str(self.folder)

    def put(self, local: Path, name: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".partial-{name}"
        shutil.copyfile(local, partial)
        partial.replace(self.folder / name)  # whole or not at all

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(path.name for path in self.folder.glob(f"webforms-*{SUFFIX}"))

    def fetch(self, name: str, local: Path) -> None:
        shutil.copyfile(self.folder / name, local)

    def remove(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)


class S3Target:
    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None = None,
                 region: str | None = None):
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, local: Path, name: str) -> None:
        self.client.upload_file(str(local), self.bucket, self._key(name))

    def names(self) -> list[str]:
        names = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key("webforms-"))
        for page in pages:
            names += [item["Key"].rsplit("/", 1)[-1] for item in page.get("Contents", ())]
        return sorted(name for name in names if name.endswith(SUFFIX))

    def fetch(self, name: str, local: Path) -> None:
        self.client.download_file(self.bucket, self._key(name), str(local))

    def remove(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))


def target_for(setting: str | None, default_folder: Path) -> FolderTarget | S3Target:
    """The target a ``WEBFORMS_BACKUP_TARGET`` names (a folder by default)."""
    if not setting:
        return FolderTarget(default_folder)
    url = urlsplit(setting)
    if url.scheme == "s3":
        if not url.netloc:
            raise ValueError("WEBFORMS_BACKUP_TARGET: s3://bucket/prefix names no bucket")
        options = {key: values[-1] for key, values in parse_qs(url.query).items()}
        return S3Target(url.netloc, url.path, options.get("endpoint_url"), options.get("region"))
    if url.scheme in ("", "file"):
        return FolderTarget(Path(url.path if url.scheme else setting).expanduser())
    raise ValueError("WEBFORMS_BACKUP_TARGET must be a folder or s3://bucket/prefix")


def keep_newest(target, keep: int) -> list[str]:
    """Remove all but the newest ``keep`` backups (names sort as their times); those removed."""
    removed = target.names()[:-keep] if keep > 0 else []
    for name in removed:
        target.remove(name)
    return removed
